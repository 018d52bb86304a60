//! Signed-in sessions of the web app: a random ID in an HttpOnly, SameSite=Strict cookie, kept
//! in memory by its SHA-256 digest, with its own CSRF token that every form sends back.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue, header};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::auth::Caller;
use crate::config::Scope;

/// The session cookie's name.
pub(crate) const COOKIE: &str = "danvan_session";
/// The cookie that carries the sign-in form's CSRF token before there is a session.
pub(crate) const SIGN_IN_COOKIE: &str = "danvan_sign_in";
/// A session ends after this long without a request.
const IDLE: Duration = Duration::from_secs(8 * 60 * 60);
/// At most this many sessions at once; the least recently used goes first.
const MAX_SESSIONS: usize = 10_000;

/// The interface's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    Vi,
    En,
}

impl Lang {
    pub(crate) fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

/// One signed-in user.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    /// The token's name and provinces.
    pub(crate) caller: Caller,
    /// The token's scope.
    pub(crate) scope: Scope,
    /// Sent back by every form.
    pub(crate) csrf: String,
    pub(crate) lang: Lang,
    last_seen: Instant,
}

impl Session {
    /// Whether this user may change records at all: a province-bound user with the write
    /// scope changes their provinces' records; a national user only as an admin.
    pub(crate) fn may_write(&self) -> bool {
        match self.caller.provinces {
            Some(_) => self.scope >= Scope::Write,
            None => self.scope >= Scope::Admin,
        }
    }

    /// Whether `token` (from a form) is this session's CSRF token.
    pub(crate) fn csrf_matches(&self, token: &str) -> bool {
        bool::from(self.csrf.as_bytes().ct_eq(token.as_bytes()))
    }
}

/// The sessions of one server.
#[derive(Default)]
pub(crate) struct Sessions {
    by_digest: Mutex<HashMap<[u8; 32], Session>>,
}

/// 32 random bytes as 64 hex digits.
pub(crate) fn random_token() -> String {
    let mut b = [0u8; 32];
    // getrandom fails only where the OS has no randomness, where nothing here is safe.
    getrandom::fill(&mut b).expect("the operating system's random numbers");
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn digest(id: &str) -> [u8; 32] {
    Sha256::digest(id.as_bytes()).into()
}

impl Sessions {
    /// Starts a session; returns its ID (the cookie's value).
    pub(crate) fn start(&self, caller: Caller, scope: Scope, lang: Lang) -> String {
        let id = random_token();
        let session = Session {
            caller,
            scope,
            csrf: random_token(),
            lang,
            last_seen: Instant::now(),
        };
        let mut map = self.by_digest.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        map.retain(|_, s| now.duration_since(s.last_seen) < IDLE);
        if map.len() >= MAX_SESSIONS
            && let Some(oldest) = map.iter().min_by_key(|(_, s)| s.last_seen).map(|(k, _)| *k)
        {
            map.remove(&oldest);
        }
        map.insert(digest(&id), session);
        id
    }

    /// The live session of the request's cookie, touched.
    pub(crate) fn find(&self, headers: &HeaderMap) -> Option<Session> {
        let id = cookie(headers, COOKIE)?;
        let mut map = self.by_digest.lock().unwrap_or_else(|e| e.into_inner());
        let key = digest(&id);
        let now = Instant::now();
        let s = map.get_mut(&key)?;
        if now.duration_since(s.last_seen) >= IDLE {
            map.remove(&key);
            return None;
        }
        s.last_seen = now;
        Some(s.clone())
    }

    /// Changes the language of the request's session.
    pub(crate) fn set_lang(&self, headers: &HeaderMap, lang: Lang) {
        if let Some(id) = cookie(headers, COOKIE) {
            let mut map = self.by_digest.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(s) = map.get_mut(&digest(&id)) {
                s.lang = lang;
            }
        }
    }

    /// Ends the request's session.
    pub(crate) fn end(&self, headers: &HeaderMap) {
        if let Some(id) = cookie(headers, COOKIE) {
            let mut map = self.by_digest.lock().unwrap_or_else(|e| e.into_inner());
            map.remove(&digest(&id));
        }
    }
}

/// The value of cookie `name` in the request.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

/// Whether the request came over TLS (directly or through a proxy that says so), so that
/// cookies are marked `Secure`.
pub(crate) fn over_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, the whole app's path; `Secure` over TLS;
/// `max_age` 0 removes it.
pub(crate) fn set_cookie(
    name: &str,
    value: &str,
    max_age: Option<u64>,
    secure: bool,
) -> HeaderValue {
    let mut v = format!("{name}={value}; Path=/app; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        v.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        v.push_str("; Secure");
    }
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller() -> Caller {
        Caller {
            name: "tn".into(),
            provinces: Some(vec!["thai-nguyen".to_string()].into()),
        }
    }

    #[test]
    fn a_session_is_found_by_its_cookie_only() {
        let sessions = Sessions::default();
        let id = sessions.start(caller(), Scope::Write, Lang::Vi);
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("a=b; {COOKIE}={id}")).unwrap(),
        );
        let s = sessions.find(&h).expect("found");
        assert_eq!(s.caller.name, "tn");
        assert!(s.may_write());
        assert!(s.csrf_matches(&s.csrf.clone()));
        assert!(!s.csrf_matches("00"));
        let mut wrong = HeaderMap::new();
        wrong.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("{COOKIE}={}", random_token())).unwrap(),
        );
        assert!(sessions.find(&wrong).is_none());
        sessions.end(&h);
        assert!(sessions.find(&h).is_none());
    }

    #[test]
    fn national_users_write_only_as_admins() {
        let mut s = Sessions::default();
        let national = Caller {
            name: "hq".into(),
            provinces: None,
        };
        let id = s.start(national.clone(), Scope::Write, Lang::En);
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("{COOKIE}={id}")).unwrap(),
        );
        assert!(!s.find(&h).unwrap().may_write());
        s = Sessions::default();
        let id = s.start(national, Scope::Admin, Lang::En);
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("{COOKIE}={id}")).unwrap(),
        );
        assert!(s.find(&h).unwrap().may_write());
    }

    #[test]
    fn cookies_are_strict_and_http_only() {
        let v = set_cookie(COOKIE, "x", None, true);
        let v = v.to_str().unwrap();
        assert!(v.contains("HttpOnly") && v.contains("SameSite=Strict") && v.contains("Secure"));
        assert!(
            !set_cookie(COOKIE, "x", Some(0), false)
                .to_str()
                .unwrap()
                .contains("Secure")
        );
    }
}
