//! The demo dataset (`fixtures/demo`), built into the binary so `danvan init --demo` works
//! from any directory.

use danvan_core::dataset::Dataset;

const FILES: [(&str, &str); 8] = [
    ("units", include_str!("../../../fixtures/demo/units.json")),
    (
        "indicators",
        include_str!("../../../fixtures/demo/indicators.json"),
    ),
    (
        "directives",
        include_str!("../../../fixtures/demo/directives.json"),
    ),
    (
        "observations",
        include_str!("../../../fixtures/demo/observations.json"),
    ),
    (
        "conferences",
        include_str!("../../../fixtures/demo/conferences.json"),
    ),
    ("models", include_str!("../../../fixtures/demo/models.json")),
    ("awards", include_str!("../../../fixtures/demo/awards.json")),
    (
        "targets",
        include_str!("../../../fixtures/demo/targets.json"),
    ),
];

/// The demo dataset.
pub(crate) fn dataset() -> Result<Dataset, String> {
    let mut object = serde_json::Map::new();
    for (kind, text) in FILES {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("built-in demo {kind}.json: {e}"))?;
        object.insert(kind.to_string(), value);
    }
    serde_json::from_value(serde_json::Value::Object(object))
        .map_err(|e| format!("built-in demo dataset: {e}"))
}

/// Seeds `store` with the demo dataset, recorded as `author`'s, and writes its shards at once
/// so that a new store reads as files from the start.
pub(crate) fn seed(
    store: &dyn danvan_store::Store,
    author: &danvan_store::Author,
) -> Result<danvan_store::ImportReport, crate::error::CommandError> {
    let dataset =
        dataset().map_err(|e| crate::error::CommandError::new(crate::error::ErrorKind::Data, e))?;
    let report = store.import(
        dataset,
        danvan_store::ImportOptions {
            author: danvan_store::Author::new(author.actor.clone())
                .with_reason(Some("nhập bộ dữ liệu mẫu (demo)")),
            ..danvan_store::ImportOptions::default()
        },
    )?;
    store.compact()?;
    for (login, name, role, password) in USERS {
        let mut user = danvan_core::user::User::new(
            login,
            name,
            role,
            danvan_core::user::Seat::Board {
                province: Some(danvan_core::province::ProvinceRef::new("thai-nguyen")),
            },
        )
        .map_err(|e| {
            crate::error::CommandError::new(crate::error::ErrorKind::Data, e.to_string())
        })?;
        danvan_store::users::set_password(&mut user, password).map_err(|e| {
            crate::error::CommandError::new(crate::error::ErrorKind::Data, e.to_string())
        })?;
        store.put_user(&user, true)?;
    }
    Ok(report)
}

/// The demo store's people, so that a newcomer signs in to the web app at once: a clerk and a
/// leader of Thái Nguyên's board (login, name, role, password). Only a store seeded with the
/// demo dataset has them; the banner of `danvan serve` prints them while their passwords are
/// still these.
pub(crate) const USERS: [(&str, &str, danvan_core::user::Role, &str); 2] = [
    (
        "demo.nhaplieu",
        "Cán bộ nhập liệu (dùng thử)",
        danvan_core::user::Role::Clerk,
        "thu-nhap-lieu-2026",
    ),
    (
        "demo.lanhdao",
        "Lãnh đạo Ban (dùng thử)",
        danvan_core::user::Role::Leader,
        "thu-lanh-dao-2026",
    ),
];

/// The demo users who still sign in with their demo passwords, for the banner.
pub(crate) fn users_in(store: &dyn danvan_store::Store) -> Vec<(&'static str, &'static str)> {
    USERS
        .iter()
        .filter(|(login, _, _, password)| {
            store
                .user(login)
                .ok()
                .flatten()
                .is_some_and(|u| danvan_store::users::verify(&u, password))
        })
        .map(|(login, _, _, password)| (*login, *password))
        .collect()
}
