//! A running server whose store files are damaged says so: `/readyz` answers 503 with the
//! reason, writes get a `store-damaged` problem, reads still answer.

use danvan_store::Store;

use crate::{Server, WRITER};

#[tokio::test]
async fn damage_found_while_running_turns_readyz_to_503_and_refuses_writes() {
    let s = Server::start().await;
    let model = r#"{"id": "m-damage", "name": "Mô hình thử", "province": "thai-nguyen",
        "owning_unit": "Hội Nông dân xã Phúc Xuân", "field": "economy", "start_year": 2024}"#;
    assert_eq!(
        s.write("POST", "/v1/models", WRITER, model).await.status,
        201
    );
    assert_eq!(s.get("/readyz").await.status, 200);

    // A byte of the acknowledged journal line flips on disk.
    let dir = s.store.root().to_path_buf();
    let journal = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("journal-")
                && std::fs::metadata(p).unwrap().len() > 0
        })
        .unwrap();
    let mut bytes = std::fs::read(&journal).unwrap();
    let at = bytes.len() - 20;
    bytes[at] ^= 0x01;
    std::fs::write(&journal, bytes).unwrap();

    // What the periodic check does.
    let s_store = s.store.clone();
    let found = tokio::task::spawn_blocking(move || s_store.verify())
        .await
        .unwrap();
    assert!(found.is_err());

    let ready = s.get("/readyz").await;
    assert_eq!(ready.status, 503);
    let body = ready.json();
    assert_eq!(body["status"], "unavailable");
    let reason = body["reason"].as_str().unwrap();
    assert!(reason.starts_with("store damaged: "), "{reason}");
    assert!(reason.contains("journal-"), "{reason}");

    let refused = s
        .write(
            "POST",
            "/v1/models",
            WRITER,
            &model.replace("m-damage", "m-after"),
        )
        .await;
    assert_eq!(refused.status, 503);
    let problem = refused.json();
    assert_eq!(problem["type"], "/problems/store-damaged");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("writes are refused"),
        "{problem}"
    );
    // Reads answer from what was loaded.
    assert_eq!(s.get("/v1/models/m-damage").await.status, 200);
    s.stop().await;
}

#[tokio::test]
async fn a_full_disk_answers_507_and_readyz_says_why_until_a_write_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    // Writes fail as on a full disk while `full` is set.
    let full = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let journal = dir.path().join("journal-1.jsonl");
    let store = std::sync::Arc::new(crate::HookedStore {
        inner: danvan_store::JsonStore::init(dir.path()).unwrap(),
        before_write: Box::new({
            let full = full.clone();
            move || {
                if full.load(std::sync::atomic::Ordering::SeqCst) {
                    return Err(danvan_store::StoreError::Io {
                        at: (&journal).into(),
                        source: std::io::Error::from(std::io::ErrorKind::StorageFull),
                    });
                }
                Ok(())
            }
        }),
    });
    let config = crate::test_config();
    let (base, stop, server) = crate::serve_store(store.clone(), &config).await;
    let client = crate::client();
    let model = r#"{"id": "m-full", "name": "Mô hình", "province": "thai-nguyen",
        "owning_unit": "Hội Nông dân xã Phúc Xuân", "field": "economy", "start_year": 2024}"#;
    let auth = format!("Bearer {WRITER}");
    let headers = [
        ("authorization", auth.as_str()),
        ("content-type", "application/json"),
    ];
    let refused = crate::request(
        &client,
        &base,
        "POST",
        "/v1/models",
        &headers,
        Some(model.as_bytes().to_vec()),
    )
    .await;
    assert_eq!(refused.status, 507, "{}", refused.body);
    assert_eq!(refused.json()["type"], "/problems/insufficient-storage");
    let ready = crate::request(&client, &base, "GET", "/readyz", &[], None).await;
    assert_eq!(ready.status, 503);
    assert!(
        ready.json()["reason"]
            .as_str()
            .unwrap()
            .starts_with("the disk holding the store is full"),
        "{}",
        ready.body
    );
    // Space is freed: the next write succeeds and the server is ready again.
    full.store(false, std::sync::atomic::Ordering::SeqCst);
    let created = crate::request(
        &client,
        &base,
        "POST",
        "/v1/models",
        &headers,
        Some(model.as_bytes().to_vec()),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let ready = crate::request(&client, &base, "GET", "/readyz", &[], None).await;
    assert_eq!(ready.status, 200);
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}
