//! Bearer tokens: which scope a request needs, and whether its token has it; [`Caller`], who a
//! request (or a signed-in web session) comes from.

use axum::http::{HeaderMap, Method, Uri, header};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use danvan_store::{Access, Author};

use crate::config::{ReadAccess, Scope, TokenEntry};
use crate::problem::{Kind, Problem};

/// The configured tokens, as digests.
pub struct Auth {
    tokens: Vec<([u8; 32], Caller, Scope)>,
    /// Whether bound callers read only their provinces' records (`Config::bound_reads`).
    pub bound_reads: bool,
}

/// Who a request comes from: a token's name and the provinces it is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The token's name.
    pub name: String,
    /// The records it may write: its provinces' on today's map, or every one.
    pub access: Access,
    /// The records it may read: its provinces' and the central ones where the server binds
    /// reads (`Config::bound_reads`), else every one.
    pub reads: Access,
    /// For a unit's user, the unit: only its reports and figures are written (the store
    /// checks), and only they are shown among the reports.
    pub unit: Option<danvan_core::id::RecordId>,
}

impl Caller {
    /// A request with no token.
    pub fn anonymous() -> Caller {
        Caller {
            name: "anonymous".into(),
            access: Access::National,
            reads: Access::National,
            unit: None,
        }
    }

    /// A signed-in user of the web app: named "Lê Thị Hoa (dinh-hoa.nhaplieu)" in the
    /// history, bound to the seat's province (the central board's: national), reading as the
    /// server binds reads. `None` when the seat names no province of today's map.
    pub fn of_user(user: &danvan_core::user::User, bound_reads: bool) -> Option<Caller> {
        // A seat kept under a province's old slug (a unit of Bắc Kạn) is its province today's.
        let access = match user.seat.province() {
            Some(p) => {
                let today = danvan_core::province::registry().current(p.as_str())?;
                Access::provinces([today.slug]).ok()?
            }
            None => Access::National,
        };
        let reads = if bound_reads || user.seat.unit().is_some() {
            access.clone()
        } else {
            Access::National
        };
        Some(Caller {
            name: format!("{} ({})", user.name, user.login),
            access,
            reads,
            unit: user.seat.unit().cloned(),
        })
    }

    /// Whether a report (submission) of `unit` (`None`: a province's own report) is this
    /// caller's to see: every one, except for a unit's user, only the unit's.
    pub fn sees_report_of(&self, unit: Option<&danvan_core::id::RecordId>) -> bool {
        self.unit.is_none() || self.unit.as_ref() == unit
    }

    /// The current-map slugs it is bound to; `None`: every province.
    pub fn provinces(&self) -> Option<&[String]> {
        self.access.bound_to()
    }

    /// The author of its writes, `reason` recorded with them, bound to its provinces: the store
    /// checks every write against them when it commits.
    pub fn author(&self, reason: Option<String>) -> Author {
        Author::new(self.name.clone())
            .with_reason(reason)
            .within(self.access.clone())
            .of_unit(self.unit.clone())
    }
}

impl Auth {
    /// The tokens of `entries`; with `bound_reads`, a province-bound token reads only its
    /// provinces' records (and the central ones).
    pub fn new(entries: &[TokenEntry], bound_reads: bool) -> Auth {
        let tokens = entries
            .iter()
            .filter_map(|t| {
                let digest = unhex(&t.sha256)?;
                let scope = t.scope()?;
                // The configuration was checked: a bound token names today's provinces.
                let access = t.access().ok()?;
                let reads = if bound_reads {
                    access.clone()
                } else {
                    Access::National
                };
                let caller = Caller {
                    name: t.name.clone(),
                    access,
                    reads,
                    unit: None,
                };
                Some((digest, caller, scope))
            })
            .collect();
        Auth {
            tokens,
            bound_reads,
        }
    }

    /// The caller and scope of `token`, if it is known. Compared with every entry, whatever
    /// matches, so timing tells nothing.
    pub fn identify(&self, token: &str) -> Option<(&Caller, Scope)> {
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let mut found: Option<(&Caller, Scope)> = None;
        for (d, caller, scope) in &self.tokens {
            if bool::from(d.ct_eq(&digest)) {
                found = Some((caller, *scope));
            }
        }
        found
    }

    /// The caller and scope of the configured token whose SHA-256 begins with the 16 bytes
    /// `tag` (hex) names — how a web session names the token it signed in with. Compared with
    /// every entry, whatever matches.
    pub fn by_tag(&self, tag: &str) -> Option<(&Caller, Scope)> {
        let mut found: Option<(&Caller, Scope)> = None;
        for (d, caller, scope) in &self.tokens {
            let own: String = d[..16].iter().map(|b| format!("{b:02x}")).collect();
            if bool::from(own.as_bytes().ct_eq(tag.as_bytes())) {
                found = Some((caller, *scope));
            }
        }
        found
    }

    /// `Ok` when the request may go on: it needs no token and gave none, or its token is
    /// known and has the scope. A token that is given is always checked, so a client with a
    /// wrong token learns it on its first read, not its first write.
    /// Checks the request's token against the scope it needs; the token's name when one was
    /// presented.
    pub(crate) fn check(
        &self,
        headers: &HeaderMap,
        needed: Option<Scope>,
    ) -> Result<Option<Caller>, Problem> {
        let presented = match headers.get(header::AUTHORIZATION) {
            None => None,
            Some(v) => {
                let v = v.to_str().unwrap_or("");
                let token = v
                    .strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .ok_or_else(|| {
                        Problem::new(
                            Kind::Unauthorized,
                            "the Authorization header must be `Bearer <token>`",
                        )
                    })?;
                Some(token)
            }
        };
        let Some(token) = presented else {
            return match needed {
                None => Ok(None),
                Some(scope) => Err(Problem::new(
                    Kind::Unauthorized,
                    format!(
                        "this request needs a bearer token with the `{}` scope",
                        scope.as_str()
                    ),
                )),
            };
        };
        let Some((caller, scope)) = self.identify(token) else {
            return Err(Problem::new(
                Kind::Unauthorized,
                "the bearer token is not known to this server",
            ));
        };
        let name = caller.name.as_str();
        tracing::debug!(token = name, "authenticated");
        match needed {
            Some(n) if scope < n => Err(Problem::new(
                Kind::Forbidden,
                format!(
                    "token `{name}` has the `{}` scope; this request needs `{}`",
                    scope.as_str(),
                    n.as_str()
                ),
            )),
            _ => Ok(Some(caller.clone())),
        }
    }
}

/// The scope a request needs, or `None` when it may go without a token.
pub(crate) fn needed_scope(method: &Method, uri: &Uri, reads: ReadAccess) -> Option<Scope> {
    let read = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    if uri.path() == "/v1/import" || (uri.path().starts_with("/v1/exchange/") && !read) {
        let dry_run = uri
            .query()
            .is_some_and(|q| q.split('&').any(|p| p == "dry_run=true"));
        return Some(if dry_run { Scope::Write } else { Scope::Admin });
    }
    // Webhooks receive every change: only an administrator sees or manages them.
    if uri.path().starts_with("/v1/webhooks") {
        return Some(Scope::Admin);
    }
    match (read, reads) {
        (true, ReadAccess::Open) => None,
        (true, ReadAccess::Token) => Some(Scope::Read),
        (false, _) => Some(Scope::Write),
    }
}

fn unhex(s: &str) -> Option<[u8; 32]> {
    let b = s.as_bytes();
    if b.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in b.chunks(2).enumerate() {
        let hi = (pair[0] as char).to_digit(16)?;
        let lo = (pair[1] as char).to_digit(16)?;
        out[i] = (hi * 16 + lo) as u8;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::hash_token;

    fn auth() -> Auth {
        Auth::new(
            &[
                TokenEntry {
                    name: "reader".into(),
                    sha256: hash_token("r-token"),
                    scopes: vec![Scope::Read],
                    provinces: Vec::new(),
                },
                TokenEntry {
                    name: "writer".into(),
                    sha256: hash_token("w-token"),
                    scopes: vec![Scope::Read, Scope::Write],
                    provinces: Vec::new(),
                },
            ],
            false,
        )
    }

    fn with(token: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            format!("Bearer {token}").parse().unwrap(),
        );
        h
    }

    #[test]
    fn scopes_are_checked() {
        let a = auth();
        assert!(a.check(&HeaderMap::new(), None).is_ok());
        let e = a.check(&HeaderMap::new(), Some(Scope::Write)).unwrap_err();
        assert_eq!(e.status, 401);
        assert!(a.check(&with("w-token"), Some(Scope::Write)).is_ok());
        let e = a.check(&with("r-token"), Some(Scope::Write)).unwrap_err();
        assert_eq!(e.status, 403);
        let e = a.check(&with("nope"), None).unwrap_err();
        assert_eq!(e.status, 401);
        let e = a.check(&with("w-token"), Some(Scope::Admin)).unwrap_err();
        assert_eq!(e.status, 403);
    }

    #[test]
    fn the_scope_a_request_needs() {
        let get = Method::GET;
        let uri: Uri = "/v1/conferences".parse().unwrap();
        assert_eq!(needed_scope(&get, &uri, ReadAccess::Open), None);
        assert_eq!(
            needed_scope(&get, &uri, ReadAccess::Token),
            Some(Scope::Read)
        );
        assert_eq!(
            needed_scope(&Method::PUT, &uri, ReadAccess::Open),
            Some(Scope::Write)
        );
        let import: Uri = "/v1/import".parse().unwrap();
        assert_eq!(
            needed_scope(&Method::POST, &import, ReadAccess::Open),
            Some(Scope::Admin)
        );
        let dry: Uri = "/v1/import?dry_run=true".parse().unwrap();
        assert_eq!(
            needed_scope(&Method::POST, &dry, ReadAccess::Open),
            Some(Scope::Write)
        );
    }
}
