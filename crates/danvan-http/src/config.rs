//! Server configuration: what `danvan serve` reads from its flags, the environment and a TOML
//! file, and the API tokens with their scopes.
//!
//! Tokens are never stored: the file holds the SHA-256 of each token (tokens are 256-bit random
//! strings, so a fast hash is enough), and a presented token is compared with every entry in
//! constant time.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::http::HeaderValue;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What a token may do. Each scope includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Read records, search, export, reports.
    Read,
    /// Also create, replace, patch and delete records.
    Write,
    /// Also bulk import.
    Admin,
}

impl danvan_core::vocabulary::Vocabulary for Scope {
    const WHAT: &'static str = "token scope";
    const ALL: &'static [Self] = &[Scope::Read, Scope::Write, Scope::Admin];
}

impl Scope {
    /// The scope's name, as in the configuration file.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Admin => "admin",
        }
    }
}

/// Whether reading needs a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadAccess {
    /// Anyone may read (writes still need a token).
    #[default]
    Open,
    /// Reads need a token with the `read` scope.
    Token,
}

impl danvan_core::vocabulary::Vocabulary for ReadAccess {
    const WHAT: &'static str = "read access";
    const ALL: &'static [Self] = &[ReadAccess::Open, ReadAccess::Token];
}

/// One API token, as written in the configuration file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenEntry {
    /// Who holds it, for the logs ("provincial-portal").
    pub name: String,
    /// The SHA-256 of the token, 64 lowercase hex digits (see [`hash_token`]).
    pub sha256: String,
    /// What it may do.
    pub scopes: Vec<Scope>,
    /// The provinces whose records it may write (current-map slugs: `thai-nguyen`), which
    /// covers the records of the provinces merged into them; none means every province and
    /// the central records. Admin tokens are national.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provinces: Vec<String>,
}

impl TokenEntry {
    /// The records the token may write: its provinces' (today's map), or every one.
    pub fn access(&self) -> Result<danvan_core::access::Access, ConfigError> {
        if self.provinces.is_empty() {
            return Ok(danvan_core::access::Access::National);
        }
        danvan_core::access::Access::provinces(&self.provinces)
            .map_err(|e| ConfigError::Invalid(format!("token {:?}: provinces: {e}", self.name)))
    }

    /// Its widest scope.
    pub fn scope(&self) -> Option<Scope> {
        self.scopes.iter().copied().max()
    }
}

/// The server's settings. Every field has a default, so an empty file is a valid configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address to listen on.
    pub bind: SocketAddr,
    /// Whether reads need a token.
    pub read_access: ReadAccess,
    /// Whether a token bound to provinces also reads only their records (and the central
    /// ones): lists, search, records and their histories, the change feed, exports, reviews
    /// due and reports. National tokens read everything either way; with reads open, a
    /// request without a token still reads everything, so bind reads with
    /// `read_access = "token"`.
    pub bound_reads: bool,
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
    /// How long a request may take before it is answered with 503, in seconds. A write that
    /// has started still completes (or not) as a whole.
    pub request_timeout_secs: f64,
    /// Origins allowed to call the API from a browser; none means CORS is off.
    pub cors_origins: Vec<String>,
    /// Log lines as JSON instead of text.
    pub log_json: bool,
    /// How long a connection may take to send a complete request header, and may stay open
    /// between requests, in seconds.
    pub idle_timeout_secs: f64,
    /// How many connections are served at once; more wait, and a log line says so.
    pub max_connections: usize,
    /// How long shutdown waits for requests in flight before dropping them, in seconds.
    pub shutdown_deadline_secs: f64,
    /// How long a request waits for another process's lock on the store before it is answered
    /// 503 with `Retry-After`, in seconds (the server opens its store with this lock timeout).
    pub lock_wait_secs: f64,
    /// How often the store's files are checked against what it wrote, in seconds (0: never);
    /// damage found turns `/readyz` to 503 and refuses writes.
    pub integrity_check_secs: u64,
    /// How much memory may hold records already turned into JSON, so that reading one again
    /// does not serialise it again, in MiB (0: none). Entries are kept by revision, so a
    /// changed record is never answered from it.
    pub record_cache_mib: usize,
    /// How much memory may hold list pages as answered, so that the same page asked for again
    /// before the next write is not made again, in MiB (0: none). Pages are kept with the
    /// store's revision, so any write makes them stale and none is answered after it.
    pub page_cache_mib: usize,
    /// The secret the web app's session cookies are signed with. Every server given the same
    /// one accepts the others' sessions (several servers behind a load balancer); without it
    /// each server makes a key of its own, and a restart signs everyone out. Keep it as secret
    /// as the tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_secret: Option<String>,
    /// Where the webhooks are kept (registrations, where each one's deliveries stand, a log
    /// of recent deliveries); none: the server keeps no webhooks. Give it to one server of a
    /// deployment: that server delivers them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhooks_file: Option<std::path::PathBuf>,
    /// How long after a failed delivery the first retry waits, in seconds; each further
    /// failure doubles the wait, up to `webhook_retry_max_secs`.
    pub webhook_retry_secs: f64,
    /// The longest wait between retries of a delivery, in seconds.
    pub webhook_retry_max_secs: f64,
    /// How long a receiver has to answer a delivery, in seconds.
    pub webhook_timeout_secs: f64,
    /// More certificate authorities (PEM) to trust for `https` webhook receivers, beside the
    /// operating system's: an office's own CA.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_ca_file: Option<std::path::PathBuf>,
    /// The DHIS2/ADX mapping file (indicators to data elements, provinces to organisation
    /// units); none: `/v1/exchange/…` is off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange_mapping: Option<std::path::PathBuf>,
    /// The API tokens.
    pub tokens: Vec<TokenEntry>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            read_access: ReadAccess::Open,
            bound_reads: false,
            body_limit: 16 * 1024 * 1024,
            request_timeout_secs: 30.0,
            cors_origins: Vec::new(),
            log_json: false,
            integrity_check_secs: 300,
            lock_wait_secs: 2.0,
            idle_timeout_secs: 15.0,
            max_connections: 512,
            shutdown_deadline_secs: 10.0,
            record_cache_mib: 128,
            page_cache_mib: 32,
            session_secret: None,
            webhooks_file: None,
            webhook_retry_secs: 1.0,
            webhook_retry_max_secs: 300.0,
            webhook_timeout_secs: 10.0,
            webhook_ca_file: None,
            exchange_mapping: None,
            tokens: Vec::new(),
        }
    }
}

/// Why a configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has a wrong field.
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong, with line and column.
        message: String,
    },
    /// A value that parses but cannot be used.
    #[error("{0}")]
    Invalid(String),
}

impl Config {
    /// Reads a TOML configuration file.
    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::from_toml(&text).map_err(|e| match e {
            ConfigError::Parse { message, .. } => ConfigError::Parse {
                path: path.to_path_buf(),
                message,
            },
            other => other,
        })
    }

    /// Parses a TOML configuration and checks it.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: PathBuf::new(),
            message: e.to_string().trim_end().to_string(),
        })?;
        config.check()?;
        Ok(config)
    }

    /// The entry of `token`, if the configuration lists it. Its digest is compared with every
    /// entry in constant time, whatever matches, so timing tells nothing.
    pub fn token_entry(&self, token: &str) -> Option<&TokenEntry> {
        use subtle::ConstantTimeEq;
        let digest = hash_token(token);
        let mut found = None;
        for t in &self.tokens {
            if bool::from(t.sha256.as_bytes().ct_eq(digest.as_bytes())) {
                found = Some(t);
            }
        }
        found
    }

    /// Checks values that parse but make no sense.
    pub fn check(&self) -> Result<(), ConfigError> {
        if self.body_limit == 0 {
            return Err(ConfigError::Invalid("body_limit must be positive".into()));
        }
        if !(self.request_timeout_secs.is_finite() && self.request_timeout_secs > 0.0) {
            return Err(ConfigError::Invalid(
                "request_timeout_secs must be a positive number".into(),
            ));
        }
        if self
            .session_secret
            .as_ref()
            .is_some_and(|s| s.trim().chars().count() < 16)
        {
            return Err(ConfigError::Invalid(
                "session_secret must be at least 16 characters (e.g. 32 random bytes as hex)"
                    .into(),
            ));
        }
        for t in &self.tokens {
            let hex = t.sha256.len() == 64
                && t.sha256
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
            if !hex {
                return Err(ConfigError::Invalid(format!(
                    "token {:?}: sha256 must be 64 lowercase hex digits (use `danvan token new`)",
                    t.name
                )));
            }
            if t.scopes.is_empty() {
                return Err(ConfigError::Invalid(format!(
                    "token {:?}: give at least one scope (read, write, admin)",
                    t.name
                )));
            }
            if !t.provinces.is_empty() && t.scopes.contains(&Scope::Admin) {
                return Err(ConfigError::Invalid(format!(
                    "token {:?}: an admin token is national; drop `provinces` or the admin scope",
                    t.name
                )));
            }
            for p in &t.provinces {
                current_province(p).map_err(|e| {
                    ConfigError::Invalid(format!("token {:?}: provinces: {e}", t.name))
                })?;
            }
        }
        for o in &self.cors_origins {
            if axum::http::HeaderValue::from_str(o).is_err() || !o.contains("://") {
                return Err(ConfigError::Invalid(format!(
                    "cors_origins: {o:?} is not an origin such as https://portal.example.vn"
                )));
            }
        }
        Ok(())
    }

    /// The request timeout.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs_f64(self.request_timeout_secs)
    }

    /// The CORS layer for [`cors_origins`](Self::cors_origins), if any are configured.
    pub(crate) fn cors(&self) -> Option<tower_http::cors::CorsLayer> {
        use axum::http::{Method, header};
        if self.cors_origins.is_empty() {
            return None;
        }
        let origins: Vec<HeaderValue> = self
            .cors_origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o).ok())
            .collect();
        Some(
            tower_http::cors::CorsLayer::new()
                .allow_origin(tower_http::cors::AllowOrigin::list(origins))
                .allow_methods([
                    Method::GET,
                    Method::HEAD,
                    Method::POST,
                    Method::PUT,
                    Method::PATCH,
                    Method::DELETE,
                ])
                .allow_headers([
                    header::AUTHORIZATION,
                    header::CONTENT_TYPE,
                    header::IF_MATCH,
                    header::IF_NONE_MATCH,
                ])
                .expose_headers([
                    header::ETAG,
                    header::LOCATION,
                    header::LINK,
                    crate::REQUEST_ID,
                ]),
        )
    }
}

/// The slug of the province on today's map that `text` (a slug, name or code) names; a former
/// province is refused with its successor named.
pub fn current_province(text: &str) -> Result<&'static str, String> {
    let reg = danvan_core::province::registry();
    let found = reg
        .all()
        .iter()
        .filter(|p| p.valid_until.is_none())
        .find(|p| p.slug == text)
        .or_else(|| {
            // The map in force since the merger of 1 July 2025.
            chrono::NaiveDate::from_ymd_opt(2025, 7, 1)
                .and_then(|day| reg.find(text, day))
                .filter(|p| p.valid_until.is_none())
        });
    match found {
        Some(p) => Ok(p.slug),
        None => match reg.current(text).or_else(|| {
            reg.all()
                .iter()
                .find(|p| {
                    danvan_core::text::search_key(p.name) == danvan_core::text::search_key(text)
                })
                .and_then(|p| reg.current(p.slug))
        }) {
            Some(successor) => Err(format!(
                "{text:?} is a former province; its records are written with a token for {} ({})",
                successor.name, successor.slug
            )),
            None => Err(format!("{text:?} is not a province")),
        },
    }
}

/// The SHA-256 of a token, as lowercase hex: what the configuration file stores.
///
/// ```
/// let h = danvan_http::config::hash_token("secret");
/// assert_eq!(h.len(), 64);
/// ```
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// A new random token: `dv_` and 43 URL-safe characters (256 bits).
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::from("dv_");
    // Base64url without padding, six bits at a time.
    let mut acc: u32 = 0;
    let mut bits = 0;
    for b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 6 {
            bits -= 6;
            out.push(ALPHABET[((acc >> bits) & 63) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((acc << (6 - bits)) & 63) as usize] as char);
    }
    Ok(out)
}

/// `n` random bytes as hex: secrets (webhook secrets, session keys and tokens).
pub fn random_hex(n: usize) -> String {
    let mut b = vec![0u8; n];
    // getrandom fails only where the OS has no randomness, where nothing here is safe.
    getrandom::fill(&mut b).expect("the operating system's random numbers");
    hex(&b)
}

/// `bytes` as lower-case hex digits.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        s.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_is_the_default() {
        assert_eq!(Config::from_toml("").unwrap(), Config::default());
    }

    #[test]
    fn a_full_file() {
        let c = Config::from_toml(
            r#"
bind = "0.0.0.0:9000"
read_access = "token"
body_limit = 1024
request_timeout_secs = 2.5
cors_origins = ["https://portal.example.vn"]

[[tokens]]
name = "portal"
sha256 = "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b"
scopes = ["read", "write"]
"#,
        )
        .unwrap();
        assert_eq!(c.bind.port(), 9000);
        assert_eq!(c.read_access, ReadAccess::Token);
        assert_eq!(c.tokens[0].scopes, vec![Scope::Read, Scope::Write]);
        assert_eq!(c.request_timeout(), Duration::from_millis(2500));
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        let e = Config::from_toml("bind = 5").unwrap_err().to_string();
        assert!(e.contains("bind"), "{e}");
        let e = Config::from_toml("colour = true").unwrap_err().to_string();
        assert!(e.contains("colour"), "{e}");
        let e = Config::from_toml("[[tokens]]\nname='x'\nsha256='abc'\nscopes=['read']")
            .unwrap_err()
            .to_string();
        assert!(e.contains("64 lowercase hex"), "{e}");
        let e = Config::from_toml("cors_origins = ['*']")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not an origin"), "{e}");
    }

    #[test]
    fn hashes_and_new_tokens() {
        assert_eq!(
            hash_token("secret"),
            "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b"
        );
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 3 + 43);
        assert!(
            a[3..]
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
    }
}

#[cfg(test)]
mod province_tests {
    use super::*;

    #[test]
    fn tokens_are_bound_to_provinces_of_todays_map() {
        assert_eq!(current_province("thai-nguyen"), Ok("thai-nguyen"));
        assert_eq!(current_province("Thái Nguyên"), Ok("thai-nguyen"));
        assert_eq!(current_province("Hồ Chí Minh"), Ok("ho-chi-minh"));
        let former = current_province("bac-kan").unwrap_err();
        assert!(
            former.contains("former province") && former.contains("thai-nguyen"),
            "{former}"
        );
        let former = current_province("Yên Bái").unwrap_err();
        assert!(former.contains("lao-cai"), "{former}");
        assert!(current_province("Atlantis").is_err());
        let admin = Config::from_toml(
            "[[tokens]]\nname = \"a\"\nsha256 = \"0000000000000000000000000000000000000000000000000000000000000000\"\nscopes = [\"admin\"]\nprovinces = [\"hue\"]\n",
        )
        .unwrap_err();
        assert!(
            admin.to_string().contains("an admin token is national"),
            "{admin}"
        );
    }
}
