//! The PostgreSQL backend on a real server (see `danvan_store::pg::scratch`): what the
//! conformance suite cannot show on its own — several stores on one database, the schema's
//! versions, the database's columns, damage made behind danvan's back, and errors that name
//! the database without its password.

use std::sync::Arc;

use danvan_core::record_kind::RecordKind;
use danvan_store::pg::scratch::{ScratchDb, url_for};
use danvan_store::{Expected, ImportOptions, PgOptions, PgStore, Query, Store, StoreError};

use crate::{demo_dir, model};

fn id(s: &str) -> danvan_core::id::RecordId {
    s.parse().unwrap()
}

fn sql(db: &ScratchDb) -> postgres::Client {
    postgres::Client::connect(db.url(), postgres::NoTls).unwrap()
}

/// Two stores on one database, as two API servers: 2 × 400 conflicting read-modify-writes of
/// one record, each guarded by the revision it read, lose nothing; both see every write, and
/// their change feeds are the same, gap-free, in commit order.
#[test]
fn two_stores_on_one_database_lose_no_update() {
    let db = ScratchDb::new("two_stores");
    let a = Arc::new(PgStore::init(db.url()).unwrap());
    let b = Arc::new(PgStore::open(db.url()).unwrap());
    a.put(model("counter", "Lượt 0"), Expected::Absent).unwrap();
    const EACH: usize = 400;
    let worker = |store: Arc<PgStore>| {
        std::thread::spawn(move || {
            let mut conflicts = 0;
            for _ in 0..EACH {
                loop {
                    let cur = store
                        .get(RecordKind::Model, &id("counter"))
                        .unwrap()
                        .unwrap();
                    let mut v = serde_json::to_value(&cur.record).unwrap();
                    let name = v["record"]["name"].as_str().unwrap().to_string();
                    let n: usize = name.trim_start_matches("Lượt ").parse().unwrap();
                    v["record"]["name"] = format!("Lượt {}", n + 1).into();
                    match store.put(
                        serde_json::from_value(v).unwrap(),
                        Expected::Revision(cur.revision),
                    ) {
                        Ok(_) => break,
                        Err(StoreError::Conflict { .. }) => conflicts += 1,
                        Err(e) => panic!("{e}"),
                    }
                }
            }
            conflicts
        })
    };
    let (ta, tb) = (worker(a.clone()), worker(b.clone()));
    let conflicts = ta.join().unwrap() + tb.join().unwrap();
    let last = b.get(RecordKind::Model, &id("counter")).unwrap().unwrap();
    let name = serde_json::to_value(&last.record).unwrap()["record"]["name"].clone();
    assert_eq!(name, format!("Lượt {}", 2 * EACH), "{conflicts} conflicts");
    assert_eq!(last.revision, 1 + 2 * EACH as u64);
    assert_eq!(a.revision().unwrap(), b.revision().unwrap());
    let feed_a = a.changes("0", 1000).unwrap();
    let feed_b = b.changes("0", 1000).unwrap();
    assert_eq!(feed_a, feed_b);
    let revisions: Vec<u64> = feed_a.items.iter().map(|e| e.revision).collect();
    assert_eq!(revisions, (1..=1 + 2 * EACH as u64).collect::<Vec<_>>());
}

#[test]
fn a_database_without_the_schema_is_not_a_store_and_init_runs_once() {
    let db = ScratchDb::new("init_once");
    assert!(matches!(
        PgStore::open(db.url()),
        Err(StoreError::NotAStore { .. })
    ));
    PgStore::init(db.url()).unwrap();
    let e = PgStore::init(db.url()).unwrap_err();
    assert!(matches!(e, StoreError::AlreadyExists { .. }), "{e}");
    // The message names the database, not the password.
    let password = std::env::var("PGPASSWORD").unwrap_or_default();
    let text = e.to_string();
    assert!(text.contains("postgres://"), "{text}");
    assert!(password.is_empty() || !text.contains(&password), "{text}");
}

#[test]
fn a_newer_schema_is_refused() {
    let db = ScratchDb::new("newer");
    drop(PgStore::init(db.url()).unwrap());
    sql(&db)
        .batch_execute("INSERT INTO danvan_schema_versions (version) VALUES (999)")
        .unwrap();
    let e = PgStore::open(db.url()).unwrap_err();
    assert!(
        matches!(e, StoreError::NewerFormat { found: 999, .. }),
        "{e}"
    );
    assert!(e.to_string().contains("upgrade danvan"), "{e}");
}

#[test]
fn wrong_passwords_and_absent_servers_fail_clearly_without_the_password() {
    let db = ScratchDb::new("errors");
    PgStore::init(db.url()).unwrap();
    let wrong = db
        .url()
        .replace(&format!(":{}@", encode_password()), ":not-the-S3CRET@");
    let e = PgStore::open(&wrong).unwrap_err().to_string();
    assert!(e.contains("password authentication failed"), "{e}");
    assert!(!e.contains("not-the-S3CRET"), "{e}");
    // Nothing listens on port 9 here: refused at once, well within the timeouts.
    let started = std::time::Instant::now();
    let e = PgStore::open_with(
        "postgres://danvan:S3CRET@127.0.0.1:9/danvan",
        PgOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e, StoreError::Database { .. }), "{e}");
    let text = e.to_string();
    assert!(
        text.contains("postgres://danvan@127.0.0.1:9/danvan"),
        "{text}"
    );
    assert!(!text.contains("S3CRET"), "{text}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

fn encode_password() -> String {
    let url = url_for("x");
    let auth = url.split("://").nth(1).unwrap().split('@').next().unwrap();
    auth.split_once(':')
        .map(|(_, p)| p.to_string())
        .unwrap_or_default()
}

/// `sslmode=require` encrypts the connection (the test server has TLS on, as Debian's
/// clusters do); the store works the same over it.
#[test]
fn tls_when_the_url_asks_for_it() {
    let db = ScratchDb::new("tls");
    let url = format!("{}?sslmode=require", db.url());
    let store = PgStore::init(&url).unwrap();
    store.put(model("m", "Mô hình"), Expected::Absent).unwrap();
    let ssl: bool = sql(&db)
        .query_one(
            "SELECT bool_or(ssl) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) \
             WHERE application_name = 'danvan' AND datname = current_database()",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(ssl, "the store's connections are not encrypted");
    // `verify-full` checks the chain and the host name; `verify-ca` the chain alone. The
    // throw-away cluster of `pg_virtualenv` serves Debian's snakeoil certificate, issued to
    // `localhost` and listed among the system's roots: reached as 127.0.0.1, the name differs.
    if std::env::var("PGHOST").as_deref() == Ok("localhost") {
        PgStore::open(&format!("{}?sslmode=verify-full", db.url())).unwrap();
        let by_ip = db.url().replacen("@localhost:", "@127.0.0.1:", 1);
        PgStore::open(&format!("{by_ip}?sslmode=verify-ca")).unwrap();
        let e = PgStore::open(&format!("{by_ip}?sslmode=verify-full"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("certificate") || e.contains("hostname"), "{e}");
    }
}

/// The columns beside the JSONB are what core computes: the province on both maps, the span,
/// and the folded search text, which a trigram index serves.
#[test]
fn the_columns_hold_what_core_computes() {
    let db = ScratchDb::new("columns");
    let store = PgStore::init(db.url()).unwrap();
    let demo = danvan_store::dataset_dir::load(&demo_dir()).unwrap();
    let report = store.import(demo, ImportOptions::default()).unwrap();
    assert!(!report.has_errors(), "{:#?}", report.problems);
    let mut c = sql(&db);
    // A Bắc Kạn record of 2024 counts for Thái Nguyên on the current map.
    let moved: i64 = c
        .query_one(
            "SELECT count(*) FROM danvan_records WHERE province = 'bac-kan' \
             AND province_current = 'thai-nguyen'",
            &[],
        )
        .unwrap()
        .get(0);
    let found = store
        .query(&Query {
            text: Some("Dân vận khéo".into()),
            limit: 1000,
            ..Query::default()
        })
        .unwrap();
    // Every record whose column holds the phrase is found; every record found holds each of
    // its words somewhere in the column (a search's words may stand in different fields: a
    // target of `communes_dan_van_kheo_standard` set by the "Ban Dân vận Tỉnh ủy").
    let found_ids: std::collections::BTreeSet<String> = found
        .items
        .iter()
        .map(|h| h.stored.record.id().to_string())
        .collect();
    assert_eq!(found_ids.len(), found.total);
    let phrase: Vec<String> = c
        .query(
            "SELECT id FROM danvan_records WHERE search LIKE '%dan van kheo%'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(!phrase.is_empty());
    for id in &phrase {
        assert!(
            found_ids.contains(id),
            "{id} holds the phrase but was not found"
        );
    }
    for id in &found_ids {
        let words: bool = c
            .query_one(
                "SELECT search LIKE '%dan%' AND search LIKE '%van%' AND search LIKE '%kheo%' \
                 FROM danvan_records WHERE id = $1",
                &[id],
            )
            .unwrap()
            .get(0);
        assert!(words, "{id} was found without the words in its column");
    }
    let bac_kan_records = store
        .query(&Query {
            province: Some(danvan_store::ProvinceFilter {
                province: "bac-kan".into(),
                map: danvan_store::ProvinceMap::AsRecorded,
            }),
            limit: 1000,
            ..Query::default()
        })
        .unwrap()
        .total;
    assert_eq!(moved as usize, bac_kan_records);
    let plan: Vec<String> = c
        .query(
            "EXPLAIN SELECT id FROM danvan_records WHERE search LIKE '%dan van kheo%'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(
        c.query_one(
            "SELECT count(*) FROM pg_indexes WHERE indexname = 'danvan_records_search'",
            &[]
        )
        .unwrap()
        .get::<_, i64>(0)
            == 1,
        "{plan:?}"
    );
}

/// A row changed behind danvan's back is damage: `verify` reports it, and writes are refused.
#[test]
fn rows_changed_by_hand_are_damage() {
    let db = ScratchDb::new("damage");
    let store = PgStore::init(db.url()).unwrap();
    store
        .put(model("a", "Mô hình A"), Expected::Absent)
        .unwrap();
    store
        .put(model("b", "Mô hình B"), Expected::Absent)
        .unwrap();
    store.verify().unwrap();
    sql(&db)
        .batch_execute(
            "UPDATE danvan_records SET record = jsonb_set(record, '{name}', '\"Sửa tay\"') \
             WHERE id = 'a'",
        )
        .unwrap();
    let e = store.verify().unwrap_err();
    assert!(matches!(e, StoreError::Damaged { .. }), "{e}");
    assert!(e.to_string().contains("model a differs"), "{e}");
    assert!(store.damage().is_some());
    assert!(matches!(
        store.put(model("c", "Mô hình C"), Expected::Absent),
        Err(StoreError::Damaged { .. })
    ));
    // A row that no longer reads as a record is named with its kind and ID.
    sql(&db)
        .batch_execute("UPDATE danvan_records SET record = '{\"id\": 5}' WHERE id = 'b'")
        .unwrap();
    let e = PgStore::open(db.url()).unwrap_err().to_string();
    assert!(e.contains("danvan_records model b"), "{e}");
}

/// A server that opened the database before another wrote to it reads the other's writes,
/// and one that finds the database replaced (dropped and initialised again) reads it afresh.
#[test]
fn a_store_follows_writes_made_elsewhere() {
    let db = ScratchDb::new("follow");
    let a = PgStore::init(db.url()).unwrap();
    let b = PgStore::open(db.url()).unwrap();
    a.put(model("m", "Mô hình một"), Expected::Absent).unwrap();
    a.put(model("n", "Mô hình hai"), Expected::Absent).unwrap();
    a.delete(RecordKind::Model, &id("m"), Expected::Any, false)
        .unwrap();
    assert!(b.get(RecordKind::Model, &id("m")).unwrap().is_none());
    assert_eq!(
        b.get(RecordKind::Model, &id("n"))
            .unwrap()
            .unwrap()
            .revision,
        2
    );
    assert_eq!(b.history(RecordKind::Model, &id("m")).unwrap().len(), 2);
    // A large commit made elsewhere (applied to a copy of the indexes, swapped in) is seen
    // whole.
    let generated = danvan_core::dataset::Dataset::from_records(
        danvan_core::generate::Generator::new(6_000, 7).records(),
    );
    let report = a.import(generated, ImportOptions::default()).unwrap();
    assert!(!report.has_errors(), "{:?}", report.problems.first());
    assert_eq!(b.len().unwrap(), 1 + report.created);
    assert_eq!(b.revision().unwrap(), 4);
    assert_eq!(
        b.query(&Query::default()).unwrap().total,
        a.query(&Query::default()).unwrap().total
    );
    sql(&db)
        .batch_execute(
            "DROP TABLE danvan_changes, danvan_commits, danvan_records, danvan_meta, \
             danvan_ended_sessions, danvan_users, danvan_files, danvan_schema_versions",
        )
        .unwrap();
    let fresh = PgStore::init(db.url()).unwrap();
    fresh
        .put(model("z", "Mô hình mới"), Expected::Absent)
        .unwrap();
    assert!(b.get(RecordKind::Model, &id("n")).unwrap().is_none());
    assert!(b.get(RecordKind::Model, &id("z")).unwrap().is_some());
}

/// An application user who may not create tables is told what to ask for; once a superuser
/// has made the extension and granted CREATE, the same user's `init` works.
#[test]
fn a_user_without_create_rights_is_told_what_to_ask_for() {
    let db = ScratchDb::new("rights");
    let mut admin = sql(&db);
    admin
        .batch_execute(
            "DROP ROLE IF EXISTS danvan_clerk; \
             CREATE ROLE danvan_clerk LOGIN PASSWORD 'clerk-Pass-1'",
        )
        .unwrap();
    let host = std::env::var("PGHOST").unwrap();
    let port = std::env::var("PGPORT").unwrap_or_else(|_| "5432".into());
    let name = db.url().rsplit('/').next().unwrap().to_string();
    let url = format!("postgres://danvan_clerk:clerk-Pass-1@{host}:{port}/{name}");
    let e = PgStore::init(&url).unwrap_err().to_string();
    assert!(e.contains("permission denied"), "{e}");
    assert!(
        e.contains("GRANT CREATE ON SCHEMA public TO danvan_clerk"),
        "{e}"
    );
    assert!(!e.contains("clerk-Pass-1"), "{e}");
    admin
        .batch_execute("CREATE EXTENSION pg_trgm; GRANT CREATE ON SCHEMA public TO danvan_clerk")
        .unwrap();
    let store = PgStore::init(&url).unwrap();
    store.put(model("m", "Mô hình"), Expected::Absent).unwrap();
    drop(store);
    drop(admin);
    // The role outlives the database; it goes with it.
    let mut cleanup = postgres::Client::connect(&url_for("postgres"), postgres::NoTls).unwrap();
    drop(db);
    let _ = cleanup.batch_execute("DROP ROLE IF EXISTS danvan_clerk");
}
