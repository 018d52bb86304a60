//! Files kept beside the records (a report's signed original), by their SHA-256: what every
//! backend shares — the hash, the check of a name, and the check of the bytes read back.

use sha2::{Digest, Sha256};

use crate::error::{Location, StoreError};

/// The SHA-256 of `bytes`, 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(64);
    for b in Sha256::digest(bytes) {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Whether `name` is a SHA-256 in hex (64 lowercase hex digits): the only names a file has.
pub(crate) fn is_hash(name: &str) -> bool {
    name.len() == 64
        && name
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `bytes` read back for `sha256` at `at`: the bytes when they match their hash; damage when
/// they do not (changed or cut short outside danvan).
pub(crate) fn checked(at: Location, sha256: &str, bytes: Vec<u8>) -> Result<Vec<u8>, StoreError> {
    if sha256_hex(&bytes) == sha256 {
        Ok(bytes)
    } else {
        Err(StoreError::Damaged {
            at,
            line: 0,
            message: format!(
                "the file kept as {sha256} no longer has that SHA-256: it was changed outside danvan; restore it from a backup"
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_hashes() {
        let h = sha256_hex(b"abc");
        assert_eq!(
            h,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(is_hash(&h));
        assert!(!is_hash("../etc/passwd") && !is_hash(&h.to_uppercase()) && !is_hash(&h[1..]));
        assert!(checked(Location::from("x"), &h, b"abc".to_vec()).is_ok());
        assert!(matches!(
            checked(Location::from("x"), &h, b"abd".to_vec()),
            Err(StoreError::Damaged { .. })
        ));
    }
}
