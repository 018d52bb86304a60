//! The web app's users as every store keeps them ([`Store::users`](crate::Store::users),
//! [`Store::put_user`](crate::Store::put_user)), and their passwords: hashed with Argon2id
//! (the `argon2` crate's recommended parameters, a random salt each), stored as PHC strings,
//! checked in constant time. A password is never stored, logged or shown.
//!
//! ```
//! use danvan_core::user::{Role, Seat, User};
//! use danvan_store::users::{set_password, verify};
//!
//! let mut u = User::new("tn.nhaplieu", "Lê Thị Hoa", Role::Clerk,
//!     Seat::Board { province: None }).unwrap();
//! set_password(&mut u, "mùa xuân 2026 đẹp").unwrap();
//! assert!(u.password.starts_with("$argon2id$"));
//! assert!(verify(&u, "mùa xuân 2026 đẹp"));
//! assert!(!verify(&u, "mua xuan 2026 dep"));
//! assert!(set_password(&mut u, "ngắn").is_err());
//! ```

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use danvan_core::user::User;

use crate::error::{StoreError, UserProblem};

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Why a password was not set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Fewer than [`MIN_PASSWORD_CHARS`] characters.
    #[error("the password has {0} characters; it needs at least {MIN_PASSWORD_CHARS}")]
    TooShort(usize),
    /// The same as the login.
    #[error("the password is the login")]
    IsLogin,
}

/// Sets `user`'s password (as its Argon2id hash, NFC first so that a password typed on two
/// keyboards is one password).
pub fn set_password(user: &mut User, password: &str) -> Result<(), PasswordError> {
    let password = danvan_core::text::nfc(password);
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort(chars));
    }
    if password.eq_ignore_ascii_case(&user.login) {
        return Err(PasswordError::IsLogin);
    }
    let mut salt = [0u8; 16];
    // getrandom fails only where the OS has no randomness, where no password is safe.
    getrandom::fill(&mut salt).expect("the operating system's random numbers");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes make a valid salt");
    user.password = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("Argon2 with its default parameters hashes any password")
        .to_string();
    Ok(())
}

/// Whether `password` is `user`'s: the user is active, has a password, and it matches.
pub fn verify(user: &User, password: &str) -> bool {
    if !user.active || user.password.is_empty() {
        return false;
    }
    let Ok(hash) = PasswordHash::new(&user.password) else {
        return false;
    };
    let password = danvan_core::text::nfc(password);
    Argon2::default()
        .verify_password(password.as_bytes(), &hash)
        .is_ok()
}

/// A digest (SHA-256, 16 bytes in hex) of the user's password hash and standing: a session
/// names it, so that a changed password, role, seat or a disabled user ends the sessions
/// signed in before.
pub fn stamp(user: &User) -> String {
    let text = format!(
        "{}\n{:?}\n{:?}\n{}",
        user.password, user.role, user.seat, user.active
    );
    // The first 16 bytes of a SHA-256: a change is never missed by chance.
    crate::files::sha256_hex(text.as_bytes())[..32].to_string()
}

/// `users` with `user` written into it (see `Store::put_user`), sorted by login: the one rule
/// of every backend that keeps its users as a list.
pub(crate) fn written(
    mut users: Vec<User>,
    user: &User,
    create: bool,
) -> Result<Vec<User>, StoreError> {
    let refuse = |problem| StoreError::User {
        login: user.login.clone(),
        problem,
    };
    user.check()
        .map_err(|e| refuse(UserProblem::Invalid(e.to_string())))?;
    let at = users.iter().position(|u| u.login == user.login);
    match (at, create) {
        (Some(_), true) => return Err(refuse(UserProblem::Exists)),
        (None, false) => return Err(refuse(UserProblem::Missing)),
        (Some(i), false) => users[i] = user.clone(),
        (None, true) => users.push(user.clone()),
    }
    Ok(sorted(users))
}

/// `users` sorted by login, each once (the last of a login wins), as every backend lists them.
pub(crate) fn sorted(mut users: Vec<User>) -> Vec<User> {
    users.sort_by(|a, b| a.login.cmp(&b.login));
    users.dedup_by(|later, earlier| {
        if later.login == earlier.login {
            std::mem::swap(later, earlier);
            true
        } else {
            false
        }
    });
    users
}

#[cfg(test)]
mod tests {
    use super::*;
    use danvan_core::user::{Role, Seat};

    #[test]
    fn a_changed_password_or_standing_changes_the_stamp() {
        let mut u = User::new("abc", "Tên", Role::Clerk, Seat::Board { province: None }).unwrap();
        set_password(&mut u, "một mật khẩu dài").unwrap();
        let first = stamp(&u);
        assert_eq!(stamp(&u), first);
        let mut other = u.clone();
        set_password(&mut other, "một mật khẩu dài").unwrap();
        assert_ne!(other.password, u.password, "a new salt each time");
        assert_ne!(stamp(&other), first);
        let mut off = u.clone();
        off.active = false;
        assert_ne!(stamp(&off), first);
        assert!(!verify(&off, "một mật khẩu dài"));
        // NFD typed, NFC stored: the same password.
        let nfd = "mo\u{0323}\u{0302}t ma\u{0323}\u{0302}t kha\u{0302}\u{0309}u da\u{0300}i";
        assert!(verify(&u, nfd));
        assert_eq!(set_password(&mut u, "abcABCabc1"), Ok(()));
        let mut same = User::new(
            "abcdefghij",
            "Tên",
            Role::Clerk,
            Seat::Board { province: None },
        )
        .unwrap();
        assert_eq!(
            set_password(&mut same, "ABCDEFGHIJ"),
            Err(PasswordError::IsLogin)
        );
    }

    #[test]
    fn sorted_keeps_the_last_of_a_login() {
        let a = User::new("bbb", "Một", Role::Clerk, Seat::Board { province: None }).unwrap();
        let mut b = a.clone();
        b.name = "Hai".into();
        let c = User::new("aaa", "Ba", Role::Clerk, Seat::Board { province: None }).unwrap();
        let out = sorted(vec![a, c, b]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].login, "aaa");
        assert_eq!(out[1].name, "Hai");
    }
}
