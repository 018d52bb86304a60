//! Signed-in sessions of the web app. A session is a signed cookie (HttpOnly, SameSite=Strict):
//! which user (a login, with a stamp of their password and standing: a changed password, role
//! or seat, or a disabled user, ends the sessions signed in before) or which token signed in,
//! until when, a random nonce and the interface's language, with an
//! HMAC-SHA256 of them under the server's session key. Any server holding the same key
//! (`session_secret` in the configuration) accepts it, so several servers behind a load
//! balancer share their users' sessions; without a configured secret each process makes its
//! own key and a restart signs everyone out. The token is looked up again on every request:
//! removing it from the configuration ends its sessions, and a changed scope or province
//! applies at once. Each session's CSRF token is an HMAC of its nonce, which every form
//! carries. Signing out ends the nonce in the store (`Store::end_session`), which every server
//! on that store asks on every signed-in request (`Store::session_ended`), so a signed-out
//! cookie is refused by every server and after a restart; the server that signed it out also
//! remembers it in memory.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, HeaderValue, header};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use danvan_http::auth::{Auth, Caller};
use danvan_http::config::Scope;

/// The session cookie's name.
pub(crate) const COOKIE: &str = "danvan_session";
/// The cookie that carries the sign-in form's CSRF token before there is a session.
pub(crate) const SIGN_IN_COOKIE: &str = "danvan_sign_in";
/// How long a session lasts after signing in.
const LIFETIME: Duration = Duration::from_secs(12 * 60 * 60);
/// At most this many signed-out sessions are remembered (the oldest expiring first).
const MAX_ENDED: usize = 100_000;

/// The interface's language: the catalogue's.
pub(crate) use danvan_i18n::Lang;

/// One signed-in user, as a request's cookie says and the configuration (or the store's users)
/// confirms.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    /// The token's or the user's name and provinces (as configured or stored now).
    pub(crate) caller: Caller,
    /// The token's scope (as configured now); a user's: `admin` for an administrator, else
    /// `write`.
    pub(crate) scope: Scope,
    /// The user, when a person signed in with a password (not a token).
    pub(crate) user: Option<danvan_core::user::User>,
    /// Sent back by every form.
    pub(crate) csrf: String,
    pub(crate) lang: Lang,
    claims: Claims,
}

impl Session {
    /// Whether this user may change records at all: a province-bound user with the write
    /// scope changes their provinces' records; a national user only as an admin.
    pub(crate) fn may_write(&self) -> bool {
        if self.user.is_some() {
            // A person with a role: what they may change the store decides (their province,
            // their unit's reports), and the cycle's steps their role.
            return true;
        }
        match self.caller.provinces() {
            Some(_) => self.scope >= Scope::Write,
            None => self.scope >= Scope::Admin,
        }
    }

    /// The session's identity (its nonce), as the store keeps it once signed out.
    pub(crate) fn id(&self) -> &str {
        &self.claims.k
    }

    /// When the session ends (seconds since 1970).
    pub(crate) fn until(&self) -> u64 {
        self.claims.e
    }

    /// Whether `token` (from a form) is this session's CSRF token.
    pub(crate) fn csrf_matches(&self, token: &str) -> bool {
        bool::from(self.csrf.as_bytes().ct_eq(token.as_bytes()))
    }
}

/// What a session cookie carries, signed.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Claims {
    /// The first 16 bytes of the token's SHA-256, hex: which configured token signed in
    /// (empty for a user).
    t: String,
    /// The user's login, for a user's session.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    u: String,
    /// The user's stamp when they signed in (`danvan_store::users::stamp`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    s: String,
    /// When the session ends (seconds since 1970).
    e: u64,
    /// A random nonce, hex: the session's identity (its CSRF token derives from it).
    k: String,
    /// The interface's language.
    l: String,
}

/// A session cookie this server signed, not expired and not signed out here, before who it
/// names is confirmed.
pub(crate) struct SessionCookie(Claims);

impl SessionCookie {
    /// The session's identity (its nonce).
    pub(crate) fn id(&self) -> &str {
        &self.0.k
    }

    /// The user's login, for a user's session.
    pub(crate) fn login(&self) -> Option<&str> {
        (!self.0.u.is_empty()).then_some(self.0.u.as_str())
    }
}

/// The sessions of one server: its key, and the sessions signed out here.
pub(crate) struct Sessions {
    key: [u8; 32],
    ended: Mutex<HashMap<String, u64>>,
}

use danvan_http::config::{hex, random_hex};

/// 32 random bytes as 64 hex digits.
pub(crate) fn random_token() -> String {
    random_hex(32)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Which configured token `token` is, as a session names it.
pub(crate) fn token_tag(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes())[..16])
}

impl Sessions {
    /// The sessions of a server whose key comes from `secret` (shared by every server given
    /// the same one), or from random bytes of its own.
    pub(crate) fn new(secret: Option<&str>) -> Sessions {
        let key: [u8; 32] = match secret {
            Some(s) => Sha256::digest(format!("danvan web sessions\n{s}").as_bytes()).into(),
            None => {
                let mut k = [0u8; 32];
                getrandom::fill(&mut k).expect("the operating system's random numbers");
                k
            }
        };
        Sessions {
            key,
            ended: Mutex::default(),
        }
    }

    fn mac(&self, label: &str, data: &[u8]) -> Vec<u8> {
        let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key)
            .expect("HMAC takes a key of any length");
        m.update(label.as_bytes());
        m.update(b"\n");
        m.update(data);
        m.finalize().into_bytes().to_vec()
    }

    fn cookie_value(&self, claims: &Claims) -> String {
        let payload = serde_json::to_vec(claims).unwrap_or_default();
        let mac = self.mac("session", &payload);
        format!("{}.{}", B64.encode(&payload), B64.encode(mac))
    }

    /// Starts a session for the token `token` signed in with; returns the cookie's value.
    pub(crate) fn start(&self, token: &str, lang: Lang) -> String {
        self.cookie_value(&Claims {
            t: token_tag(token),
            u: String::new(),
            s: String::new(),
            e: now() + LIFETIME.as_secs(),
            k: random_hex(16),
            l: lang.tag().into(),
        })
    }

    /// Starts a session for `user`, who gave their password; returns the cookie's value.
    pub(crate) fn start_user(&self, user: &danvan_core::user::User, lang: Lang) -> String {
        self.cookie_value(&Claims {
            t: String::new(),
            u: user.login.clone(),
            s: danvan_store::users::stamp(user),
            e: now() + LIFETIME.as_secs(),
            k: random_hex(16),
            l: lang.tag().into(),
        })
    }

    /// The request's session cookie, checked: signed with this key, not expired, not signed
    /// out here. Who it names is checked by [`Sessions::confirm`].
    pub(crate) fn cookie(&self, headers: &HeaderMap) -> Option<SessionCookie> {
        let value = cookie(headers, COOKIE)?;
        let (payload, mac) = value.split_once('.')?;
        let payload = B64.decode(payload).ok()?;
        let mac = B64.decode(mac).ok()?;
        if !bool::from(self.mac("session", &payload).ct_eq(&mac)) {
            return None;
        }
        let claims: Claims = serde_json::from_slice(&payload).ok()?;
        if claims.e <= now() {
            return None;
        }
        if self
            .ended
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(&claims.k)
        {
            return None;
        }
        Some(SessionCookie(claims))
    }

    /// The session of `cookie`: of a token still configured, or of `user` (the store's user of
    /// the cookie's login, as stored now) when they are active and their stamp is the one they
    /// signed in with.
    pub(crate) fn confirm(
        &self,
        cookie: SessionCookie,
        auth: &Auth,
        user: Option<danvan_core::user::User>,
    ) -> Option<Session> {
        let claims = cookie.0;
        let (caller, scope, user) = if claims.u.is_empty() {
            let (caller, scope) = auth.by_tag(&claims.t)?;
            (caller.clone(), scope, None)
        } else {
            let user = user.filter(|u| {
                u.login == claims.u
                    && u.active
                    && bool::from(
                        danvan_store::users::stamp(u)
                            .as_bytes()
                            .ct_eq(claims.s.as_bytes()),
                    )
            })?;
            let caller = Caller::of_user(&user, auth.bound_reads)?;
            let scope = if user.role == danvan_core::user::Role::Admin {
                Scope::Admin
            } else {
                Scope::Write
            };
            (caller, scope, Some(user))
        };
        Some(Session {
            caller,
            scope,
            user,
            csrf: hex(&self.mac("csrf", claims.k.as_bytes())),
            lang: if claims.l == "en" { Lang::En } else { Lang::Vi },
            claims,
        })
    }

    /// The request's session, for a token's session only (a user's needs the store: see
    /// [`Sessions::cookie`] and [`Sessions::confirm`]).
    #[cfg(test)]
    pub(crate) fn find(&self, headers: &HeaderMap, auth: &Auth) -> Option<Session> {
        let c = self.cookie(headers)?;
        self.confirm(c, auth, None)
    }

    /// The cookie of `session` in another language (the same session otherwise).
    pub(crate) fn with_lang(&self, session: &Session, lang: Lang) -> String {
        let mut claims = session.claims.clone();
        claims.l = lang.tag().into();
        self.cookie_value(&claims)
    }

    /// Ends `session` on this server (its cookie is cleared by the answer).
    pub(crate) fn end(&self, session: &Session) {
        let mut ended = self.ended.lock().unwrap_or_else(|e| e.into_inner());
        let t = now();
        ended.retain(|_, until| *until > t);
        if ended.len() >= MAX_ENDED
            && let Some(first) = ended
                .iter()
                .min_by_key(|(_, until)| **until)
                .map(|(k, _)| k.clone())
        {
            ended.remove(&first);
        }
        ended.insert(session.claims.k.clone(), session.claims.e);
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
    use danvan_http::config::{TokenEntry, hash_token};

    fn auth() -> Auth {
        Auth::new(
            &[
                TokenEntry {
                    name: "tn".into(),
                    sha256: hash_token("tn-secret"),
                    scopes: vec![Scope::Write],
                    provinces: vec!["thai-nguyen".into()],
                },
                TokenEntry {
                    name: "hq".into(),
                    sha256: hash_token("hq-secret"),
                    scopes: vec![Scope::Write],
                    provinces: Vec::new(),
                },
            ],
            false,
        )
    }

    fn with_cookie(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("a=b; {COOKIE}={value}")).unwrap(),
        );
        h
    }

    #[test]
    fn a_session_is_its_signed_cookie() {
        let (sessions, auth) = (Sessions::new(None), auth());
        let value = sessions.start("tn-secret", Lang::Vi);
        let s = sessions.find(&with_cookie(&value), &auth).expect("found");
        assert_eq!(s.caller.name, "tn");
        assert!(s.may_write());
        assert!(s.csrf_matches(&s.csrf.clone()));
        assert!(!s.csrf_matches("00"));
        // A cookie changed in any byte, or made up, is no session.
        let (payload, mac) = value.split_once('.').unwrap();
        let mut forged = B64.decode(payload).unwrap();
        let text = String::from_utf8(forged.clone()).unwrap();
        forged = text
            .replace(&token_tag("tn-secret"), &token_tag("hq-secret"))
            .into_bytes();
        let forged = format!("{}.{mac}", B64.encode(forged));
        assert!(sessions.find(&with_cookie(&forged), &auth).is_none());
        assert!(
            sessions
                .find(&with_cookie(&random_token()), &auth)
                .is_none()
        );
        // Another server with its own key does not take it; one with the same secret does.
        assert!(
            Sessions::new(None)
                .find(&with_cookie(&value), &auth)
                .is_none()
        );
        let (a, b) = (Sessions::new(Some("shared")), Sessions::new(Some("shared")));
        let shared = a.start("tn-secret", Lang::En);
        let on_b = b.find(&with_cookie(&shared), &auth).expect("shared key");
        assert_eq!(on_b.lang, Lang::En);
        assert_eq!(
            on_b.csrf,
            a.find(&with_cookie(&shared), &auth).unwrap().csrf
        );
        // Signed out: gone on that server.
        sessions.end(&s);
        assert!(sessions.find(&with_cookie(&value), &auth).is_none());
    }

    #[test]
    fn a_removed_token_ends_its_sessions_and_national_users_write_only_as_admins() {
        let sessions = Sessions::new(None);
        let value = sessions.start("hq-secret", Lang::Vi);
        let s = sessions.find(&with_cookie(&value), &auth()).unwrap();
        assert!(!s.may_write(), "a national write token reads only");
        let admin = Auth::new(
            &[TokenEntry {
                name: "hq".into(),
                sha256: hash_token("hq-secret"),
                scopes: vec![Scope::Admin],
                provinces: Vec::new(),
            }],
            false,
        );
        assert!(
            sessions
                .find(&with_cookie(&value), &admin)
                .unwrap()
                .may_write()
        );
        assert!(
            sessions
                .find(&with_cookie(&value), &Auth::new(&[], false))
                .is_none()
        );
    }

    #[test]
    fn an_expired_session_is_no_session() {
        let sessions = Sessions::new(None);
        let expired = sessions.cookie_value(&Claims {
            t: token_tag("tn-secret"),
            u: String::new(),
            s: String::new(),
            e: now() - 1,
            k: random_hex(16),
            l: "vi".into(),
        });
        assert!(sessions.find(&with_cookie(&expired), &auth()).is_none());
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
