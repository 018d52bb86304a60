//! Province-bound writers: a write token for each of today's provinces, and records of every
//! unit of the registry (before and after 1 July 2025) and central ones — shared by the API's
//! access tests and the web app's (`danvan-web`, which includes this file).

use danvan_http::Config;
use danvan_http::config::{Scope, TokenEntry, hash_token};

use crate::{ADMIN, Reply, Server, test_config};

/// Today's provinces (34 slugs).
pub(crate) fn current() -> Vec<&'static str> {
    danvan_core::province::registry()
        .all()
        .iter()
        .filter(|p| p.valid_until.is_none())
        .map(|p| p.slug)
        .collect()
}

/// The secret of `slug`'s clerk token.
pub(crate) fn secret(slug: &str) -> String {
    format!("clerk-{slug}")
}

/// The test configuration with a write token bound to each of today's provinces.
pub(crate) fn config() -> Config {
    let mut config = test_config();
    config.body_limit = 4 << 20;
    for slug in current() {
        config.tokens.push(TokenEntry {
            name: format!("{slug}-clerk"),
            sha256: hash_token(&secret(slug)),
            scopes: vec![Scope::Write],
            provinces: vec![slug.to_string()],
        });
    }
    config
}

/// Every unit of the registry (before and after 1 July 2025), and `None` for the central
/// records: (slug, a year within its life, the tag of its records).
pub(crate) fn units() -> Vec<(Option<&'static str>, i32, String)> {
    let mut out: Vec<_> = danvan_core::province::registry()
        .all()
        .iter()
        .map(|p| {
            let year = if p.valid_until.is_some() { 2024 } else { 2026 };
            (Some(p.slug), year, format!("{}-{year}", p.slug))
        })
        .collect();
    out.push((None, 2024, "central".into()));
    out
}

pub(crate) fn model(tag: &str, slug: &str, year: i32, name: &str) -> serde_json::Value {
    serde_json::json!({"id": format!("m-{tag}"), "name": name, "province": slug,
        "owning_unit": "Hội Nông dân", "field": "economy", "start_year": year})
}

pub(crate) fn directive(tag: &str, slug: Option<&str>, year: i32) -> serde_json::Value {
    let mut d = serde_json::json!({"id": format!("d-{tag}"), "number": "05-ĐA/TU",
        "doc_type": "scheme", "issuer": "Tỉnh ủy", "title": "Đề án",
        "issued_on": format!("{year}-04-12")});
    if let Some(s) = slug {
        d["province"] = s.into();
    }
    d
}

pub(crate) fn conference(id: &str, slug: &str, reviewed: &[String]) -> serde_json::Value {
    serde_json::json!({"id": id, "kinds": ["thematic"], "title": "Hội nghị chuyên đề",
        "date": "2026-05-02", "province": slug, "hosts": ["Ban Dân vận"],
        "format": {"mode": "in_person"}, "reviewed_directives": reviewed})
}

/// The records of every unit, written by the administrator.
pub(crate) async fn seed(s: &Server) {
    let mut models = Vec::new();
    let mut directives = Vec::new();
    for (slug, year, tag) in units() {
        models.push(model(&tag, slug.unwrap_or("ha-noi"), year, "Mô hình"));
        directives.push(directive(&tag, slug, year));
    }
    let body = serde_json::json!({"models": models, "directives": directives}).to_string();
    let r = s.write("POST", "/v1/import", ADMIN, &body).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

/// Whether `writer`'s clerk owns the records of `slug` (a unit's slug; `None`: central).
pub(crate) fn owns(writer: &str, slug: Option<&str>) -> bool {
    slug.and_then(|s| danvan_core::province::registry().current(s))
        .is_some_and(|c| c.slug == writer)
}

pub(crate) async fn send(
    s: &Server,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&str>,
) -> Reply {
    let auth = format!("Bearer {token}");
    let media = if method == "PATCH" {
        "application/merge-patch+json"
    } else {
        "application/json"
    };
    s.send(
        method,
        path,
        &[("authorization", &auth), ("content-type", media)],
        body,
    )
    .await
}
