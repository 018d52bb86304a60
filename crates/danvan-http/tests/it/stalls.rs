//! An import in flight holds no route up: while it sits inside the store (held there by the
//! test), health, the province list, record reads and lists are all answered.

use std::sync::atomic::{AtomicBool, Ordering};

use danvan_store::{ImportOptions, Store};

use crate::test_config;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_are_answered_while_an_import_is_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let (arrived_tx, arrived_rx) = std::sync::mpsc::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    let (arrived, release) = (
        std::sync::Mutex::new(arrived_tx),
        std::sync::Mutex::new(release_rx),
    );
    let gate = std::sync::Arc::new(AtomicBool::new(false));
    let gated = gate.clone();
    let store = std::sync::Arc::new(crate::HookedStore {
        inner: danvan_store::JsonStore::init(dir.path()).unwrap(),
        before_write: Box::new(move || {
            if gated.load(Ordering::SeqCst) {
                arrived.lock().unwrap().send(()).unwrap();
                release.lock().unwrap().recv().unwrap();
            }
            Ok(())
        }),
    });
    let demo = danvan_store::dataset_dir::load(&crate::root().join("fixtures/demo")).unwrap();
    store.import(demo, ImportOptions::default()).unwrap();
    gate.store(true, Ordering::SeqCst);

    let config = danvan_http::Config {
        body_limit: 64 * 1024 * 1024,
        ..test_config()
    };
    let (base, stop, server) = crate::serve_store(store.clone(), &config).await;
    // Models refer to no other record: 20,000 of them import cleanly over the demo data.
    let generator = danvan_core::generate::Generator::new(40_000, 4);
    let records: Vec<danvan_core::dataset::AnyRecord> = (0..20_000)
        .map(|i| danvan_core::dataset::AnyRecord::Model(generator.model(i)))
        .collect();
    // Once this returns, the import is parsed and inside the store.
    let in_flight = crate::import_in_flight(base.clone(), records, arrived_rx).await;
    let client = crate::client();
    for path in [
        "/healthz",
        "/v1/provinces",
        "/v1/models/hn-2018-tiep-dan",
        "/v1/conferences?province=thai-nguyen&limit=5",
        "/v1/search?q=dan%20van%20kheo",
        "/readyz",
    ] {
        let r = crate::request(&client, &base, "GET", path, &[], None).await;
        assert_eq!(
            r.status, 200,
            "{path} while the import is in flight: {}",
            r.body
        );
    }
    assert!(!in_flight.is_finished(), "the import was still held");
    release_tx.send(()).unwrap();
    let r = in_flight.await.unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}
