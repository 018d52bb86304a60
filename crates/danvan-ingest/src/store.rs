//! Proposals against the store: what it already holds (a cited directive is linked, not
//! proposed again; a conference of the same day, host and kind is offered as an update), and
//! writing the proposals a person accepted — in one revision, each record with its source, and
//! the evidence in the history's reason. The one path for the CLI, the API and the web app.

use std::collections::HashMap;

use danvan_core::dataset::AnyRecord;
use danvan_core::id::RecordId;
use danvan_core::text::search_key;
use danvan_core::validate::RecordKind;
use danvan_store::{Author, Expected, Op, Query, Store, StoreError};
use serde_json::{Value as Json, json};

use crate::document::Meta;
use crate::proposal::{Evidence, Extraction, Proposal};

/// Marks each proposal the store already holds with its record's ID ([`Proposal::existing`]).
pub fn resolve(store: &dyn Store, found: &mut Extraction) -> Result<(), StoreError> {
    for p in &mut found.proposals {
        if p.kind == RecordKind::Observation {
            registered_unit(store, p)?;
        }
        if p.kind == RecordKind::Conference {
            known_people(store, p)?;
        }
        p.existing = match p.kind {
            RecordKind::Directive => stored_directive(store, p)?,
            RecordKind::Conference => stored_conference(store, p)?,
            RecordKind::Observation => {
                let found = stored_figure(store, p)?;
                found.map(|(id, note)| {
                    p.notes.extend(note);
                    id
                })
            }
            _ => None,
        };
    }
    Ok(())
}

/// A figure's reporting unit against the province's registry: the registered name when one
/// answers to it (so that the figure resolves), else a note that it must be added first.
fn registered_unit(store: &dyn Store, p: &mut Proposal) -> Result<(), StoreError> {
    let Some(name) = p
        .get("unit.name")
        .and_then(Json::as_str)
        .map(str::to_string)
    else {
        return Ok(());
    };
    let province = p.get("province").and_then(Json::as_str).map(str::to_string);
    let mut q = Query::kind(RecordKind::Unit);
    q.limit = danvan_store::MAX_LIMIT;
    q.text = Some(danvan_core::unit::name_key(&name));
    let page = store.query(&q)?;
    let found = page.items.iter().find_map(|hit| match &hit.stored.record {
        AnyRecord::Unit(u)
            if u.answers_to(&name)
                && u.province.as_ref().map(|r| r.as_str()) == province.as_deref() =>
        {
            Some(u.clone())
        }
        _ => None,
    });
    match found {
        Some(u) => {
            if let Some(v) = p.values.iter_mut().find(|v| v.field == "unit.name") {
                v.value = json!(u.name.as_str());
            }
            p.notes.push(format!(
                "Đơn vị báo cáo “{}” có trong danh mục ({})",
                u.name.as_str(),
                u.id
            ));
        }
        None => p.notes.push(format!(
            "Đơn vị báo cáo “{name}” chưa có trong danh mục đơn vị của tỉnh: thêm đơn vị (danvan unit add) trước khi ghi số liệu này"
        )),
    }
    Ok(())
}

/// The people a conference names, against those the store's conferences name (folded names):
/// each known one with where, each other one said to be new.
fn known_people(store: &dyn Store, p: &mut Proposal) -> Result<(), StoreError> {
    let names: Vec<String> = p
        .values
        .iter()
        .filter(|v| v.field.ends_with(".name"))
        .filter_map(|v| v.value.as_str().map(str::to_string))
        .collect();
    for name in names {
        let key = search_key(&name);
        let mut q = Query::kind(RecordKind::Conference);
        q.text = Some(name.clone());
        q.limit = 20;
        let page = store.query(&q)?;
        let seen = page.items.iter().find_map(|hit| match &hit.stored.record {
            AnyRecord::Conference(c) => c
                .chairs
                .iter()
                .map(|x| (&x.name, &x.position))
                .chain(c.attendees.iter().map(|x| (&x.name, &x.position)))
                .find(|(n, _)| search_key(n.as_str()) == key)
                .map(|(_, pos)| (c.id.to_string(), pos.clone())),
            _ => None,
        });
        p.notes.push(match seen {
            Some((id, Some(pos))) => format!("{name}: đã có trong kho ({pos}, hội nghị {id})"),
            Some((id, None)) => format!("{name}: đã có trong kho (hội nghị {id})"),
            None => format!("{name}: người chưa có trong kho"),
        });
    }
    Ok(())
}

/// A figure the store already holds: same indicator, province, unit and period — with a note
/// when its numbers differ from the text's (accepting keeps the stored numbers).
fn stored_figure(
    store: &dyn Store,
    p: &Proposal,
) -> Result<Option<(String, Option<String>)>, StoreError> {
    let (Some(indicator), Some(period)) = (
        p.get("indicator").and_then(Json::as_str),
        p.get("period").and_then(Json::as_str),
    ) else {
        return Ok(None);
    };
    let province = p.get("province").and_then(Json::as_str);
    let unit = p.get("unit.name").and_then(Json::as_str).map(search_key);
    let mut q = Query::kind(RecordKind::Observation);
    q.indicator = indicator.parse().ok();
    q.limit = danvan_store::MAX_LIMIT;
    if let Some(slug) = province {
        q.province = Some(danvan_store::ProvinceFilter {
            province: slug.to_string(),
            map: danvan_store::ProvinceMap::AsRecorded,
        });
    }
    let page = store.query(&q)?;
    Ok(page.items.iter().find_map(|hit| match &hit.stored.record {
        AnyRecord::Observation(o)
            if o.period.to_string() == period
                && o.province.as_ref().map(|r| r.as_str()) == province
                && o.unit.as_ref().map(|u| search_key(u.name.as_str())) == unit =>
        {
            let stored = serde_json::to_value(o).unwrap_or(Json::Null);
            let differs: Vec<String> = ["numerator", "denominator", "value"]
                .iter()
                .filter_map(|f| {
                    let said = p.get(f)?;
                    let kept = stored.get(*f)?;
                    let same = said.as_f64().zip(kept.as_f64()).is_some_and(|(a, b)| a == b);
                    (!same).then(|| format!("{f}: văn bản {said}, trong kho {kept}"))
                })
                .collect();
            let note = (!differs.is_empty()).then(|| {
                format!(
                    "Số liệu trong kho ({}) khác văn bản — {}; ghi sẽ giữ số đã có, sửa bản ghi nếu cần",
                    o.id,
                    differs.join("; ")
                )
            });
            Some((o.id.to_string(), note))
        }
        _ => None,
    }))
}

fn stored_directive(store: &dyn Store, p: &Proposal) -> Result<Option<String>, StoreError> {
    let Some(number) = p.get("number").and_then(Json::as_str) else {
        return Ok(None);
    };
    let mut q = Query::kind(RecordKind::Directive);
    q.text = Some(number.to_string());
    q.limit = 50;
    let page = store.query(&q)?;
    Ok(page.items.iter().find_map(|hit| match &hit.stored.record {
        AnyRecord::Directive(d) if d.number.as_ref().is_some_and(|n| n.to_string() == number) => {
            Some(d.id.to_string())
        }
        _ => None,
    }))
}

fn stored_conference(store: &dyn Store, p: &Proposal) -> Result<Option<String>, StoreError> {
    let Some(date) = p
        .get("date")
        .and_then(Json::as_str)
        .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
    else {
        return Ok(None);
    };
    let hosts: Vec<String> = p.strings("hosts[]").into_iter().map(search_key).collect();
    let kinds = p.strings("kinds[]");
    let mut q = Query::kind(RecordKind::Conference);
    q.since = Some(date);
    q.until = Some(date);
    q.limit = 100;
    let page = store.query(&q)?;
    Ok(page.items.iter().find_map(|hit| match &hit.stored.record {
        AnyRecord::Conference(c) if c.date == date => {
            let same_host = hosts.is_empty()
                || c.hosts.iter().any(|h| {
                    let h = search_key(h.as_str());
                    hosts
                        .iter()
                        .any(|x| h.contains(x.as_str()) || x.contains(h.as_str()))
                });
            let same_kind = kinds.is_empty()
                || c.kinds.iter().any(|k| {
                    serde_json::to_value(k)
                        .ok()
                        .and_then(|v| v.as_str().map(|s| kinds.contains(&s)))
                        .unwrap_or(false)
                });
            (same_host && same_kind).then(|| c.id.to_string())
        }
        _ => None,
    }))
}

/// Why accepted proposals could not be written. Nothing is written then.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AcceptError {
    /// No proposal of that name.
    #[error("no proposal {0} in this reading")]
    Unknown(String),
    /// A proposal lacks what its kind needs.
    #[error("{key} ({label}) lacks {fields}: fill them in before accepting it")]
    Missing {
        /// The proposal.
        key: String,
        /// Its label.
        label: String,
        /// The fields, comma-separated.
        fields: String,
    },
    /// A proposal does not make a valid record.
    #[error("{key} ({label}): {message}")]
    Invalid {
        /// The proposal.
        key: String,
        /// Its label.
        label: String,
        /// What is wrong.
        message: String,
    },
    /// The store refused the write.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What accepting wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// Per accepted proposal: its key, the record's kind and ID, and whether it updated a
    /// stored record (a conference already recorded) or only linked one (a directive).
    pub records: Vec<(String, RecordKind, RecordId, Outcome)>,
    /// The store's revision after the write.
    pub revision: u64,
}

/// What became of one accepted proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new record.
    Created,
    /// A stored record, given the values it lacked.
    Updated,
    /// A stored record, linked to as it is.
    Linked,
}

/// Writes the proposals named by `keys` (as a person accepted them, edits included), in one
/// revision: new IDs made from their content, links between them filled with those IDs (or
/// the stored records' they match), the source added, the evidence in `author`'s reason.
pub fn accept(
    store: &dyn Store,
    meta: &Meta,
    found: &Extraction,
    keys: &[String],
    author: &Author,
) -> Result<Accepted, AcceptError> {
    // Each proposal once, in the order named.
    let mut named: Vec<&String> = Vec::new();
    for k in keys {
        if !named.contains(&k) {
            named.push(k);
        }
    }
    let chosen: Vec<&Proposal> = named
        .into_iter()
        .map(|k| {
            found
                .proposals
                .iter()
                .find(|p| &p.key == k)
                .ok_or_else(|| AcceptError::Unknown(k.clone()))
        })
        .collect::<Result<_, _>>()?;
    // IDs first, so that links can name them.
    let mut ids: HashMap<String, (RecordId, Outcome)> = HashMap::new();
    let mut records: HashMap<String, Json> = HashMap::new();
    for p in &chosen {
        if let Some(id) = &p.existing {
            let id: RecordId = id.parse().map_err(|e| invalid(p, format!("{e}")))?;
            let outcome = if p.kind == RecordKind::Directive {
                Outcome::Linked
            } else {
                // What the text adds, links included, goes into the stored record below.
                let mut new = p.to_json();
                add_source(p.kind, &mut new, meta);
                records.insert(p.key.clone(), new);
                Outcome::Updated
            };
            ids.insert(p.key.clone(), (id, outcome));
            continue;
        }
        if !p.missing.is_empty() {
            return Err(AcceptError::Missing {
                key: p.key.clone(),
                label: p.label.clone(),
                fields: p.missing.join(", "),
            });
        }
        let mut body = p.to_json();
        add_source(p.kind, &mut body, meta);
        let record = to_record(p, body.clone(), "ingest-placeholder")?;
        let id = danvan_store::made_id(store, &record)?;
        // Two proposals of one reading may suggest the same ID.
        let id = free_among(&ids, id);
        ids.insert(p.key.clone(), (id, Outcome::Created));
        records.insert(p.key.clone(), body);
    }
    fill_links(&chosen, &ids, &mut records);
    let mut ops = Vec::new();
    let mut out = Vec::new();
    for p in &chosen {
        let (id, outcome) = ids[&p.key].clone();
        match outcome {
            Outcome::Linked => {}
            Outcome::Created => {
                let record = to_record(p, records[&p.key].clone(), id.as_str())?;
                ops.push(Op::Put {
                    record,
                    expected: Expected::Absent,
                });
            }
            Outcome::Updated => {
                let Some(stored) = store.get(p.kind, &id)? else {
                    return Err(invalid(p, format!("{id} is no longer stored")));
                };
                let mut body = serde_json::to_value(&stored.record)
                    .map_err(|e| invalid(p, e.to_string()))?["record"]
                    .take();
                let new = records.remove(&p.key).unwrap_or_default();
                fill_absent(&mut body, new);
                let record = to_record(p, body, id.as_str())?;
                ops.push(Op::Put {
                    record,
                    expected: Expected::Revision(stored.revision),
                });
            }
        }
        out.push((p.key.clone(), p.kind, id, outcome));
    }
    let author = author
        .clone()
        .with_reason(Some(reason(meta, &chosen, author)));
    let revision = if ops.is_empty() {
        store.revision()?
    } else {
        store.apply_by(ops, &author)?.revision
    };
    Ok(Accepted {
        records: out,
        revision,
    })
}

/// Fills each link between accepted proposals with the ID of the record it names.
fn fill_links(
    chosen: &[&Proposal],
    ids: &HashMap<String, (RecordId, Outcome)>,
    records: &mut HashMap<String, Json>,
) {
    for p in chosen {
        for link in &p.links {
            let Some((target, _)) = ids.get(&link.to) else {
                continue;
            };
            if let Some(field) = link.field.strip_prefix('@') {
                // The linked proposal lists this one: a conference's figures.
                let (me, _) = &ids[&p.key];
                if let Some(body) = records.get_mut(&link.to) {
                    crate::proposal::set_path(body, &format!("{field}[]"), json!(me.as_str()));
                }
                continue;
            }
            let value = match link.relation {
                Some(r) => json!({"relation": r, "directive": target.as_str()}),
                None => json!(target.as_str()),
            };
            if let Some(body) = records.get_mut(&p.key) {
                crate::proposal::set_path(body, &link.field, value);
            }
        }
    }
}

fn invalid(p: &Proposal, message: String) -> AcceptError {
    AcceptError::Invalid {
        key: p.key.clone(),
        label: p.label.clone(),
        message,
    }
}

fn to_record(p: &Proposal, mut body: Json, id: &str) -> Result<AnyRecord, AcceptError> {
    body["id"] = json!(id);
    let kind = serde_json::to_value(p.kind).map_err(|e| invalid(p, e.to_string()))?;
    serde_json::from_value(json!({"kind": kind, "record": body}))
        .map_err(|e| invalid(p, e.to_string()))
}

fn free_among(ids: &HashMap<String, (RecordId, Outcome)>, id: RecordId) -> RecordId {
    if !ids.values().any(|(x, _)| *x == id) {
        return id;
    }
    (2..)
        .filter_map(|n| format!("{id}-{n}").parse::<RecordId>().ok())
        .find(|c| !ids.values().any(|(x, _)| x == c))
        .unwrap_or(id)
}

/// The source, where the record's kind keeps one: conferences and awards a list, figures one.
fn add_source(kind: RecordKind, body: &mut Json, meta: &Meta) {
    let mut source = serde_json::Map::new();
    if let Some(url) = &meta.url {
        source.insert("url".into(), json!(url));
    }
    if let Some(title) = &meta.title {
        source.insert("title".into(), json!(title));
    }
    if let Some(site) = meta.site() {
        source.insert("site".into(), json!(site));
    }
    if let Some(d) = meta.published {
        source.insert("published_at".into(), json!(d.to_string()));
    }
    let named = ["url", "title", "site"]
        .iter()
        .any(|k| source.contains_key(*k));
    match &meta.file {
        // A file is named by its name when nothing else names it.
        Some(file) if !named && file != "-" => {
            source.insert("title".into(), json!(file));
        }
        _ if !named => return,
        _ => {}
    }
    match kind {
        RecordKind::Conference | RecordKind::Award => body["sources"] = json!([source]),
        RecordKind::Observation => body["source"] = Json::Object(source),
        _ => {}
    }
}

/// Sets in `stored` every top-level value of `new` it lacks; what it holds stays. The new
/// text's source joins the record's sources, and the records it links join the record's links.
fn fill_absent(stored: &mut Json, new: Json) {
    let (Some(s), Json::Object(n)) = (stored.as_object_mut(), new) else {
        return;
    };
    for (k, v) in n {
        // Sources and the records linked join what the record lists; other lists stay.
        if matches!(
            k.as_str(),
            "sources" | "figures" | "reviewed_directives" | "related"
        ) && let (Some(Json::Array(have)), Json::Array(more)) = (s.get_mut(&k), &v)
        {
            for item in more {
                if !have.contains(item) {
                    have.push(item.clone());
                }
            }
            continue;
        }
        let empty = match s.get(&k) {
            None | Some(Json::Null) => true,
            Some(Json::Array(a)) => a.is_empty(),
            _ => false,
        };
        if empty {
            s.insert(k, v);
        }
    }
}

/// The history's reason: where the text came from and, per record, the words each value
/// stands on (or what it was inferred from), within what a reason holds.
fn reason(meta: &Meta, chosen: &[&Proposal], author: &Author) -> String {
    let from = meta
        .url
        .clone()
        .or_else(|| meta.file.clone())
        .unwrap_or_else(|| "văn bản dán vào".into());
    let mut out = format!("Nhập từ văn bản: {from}");
    if let Some(r) = &author.reason {
        out.push_str(&format!(" ({r})"));
    }
    for p in chosen {
        out.push_str(&format!("\n{}:", p.label));
        for v in &p.values {
            let why = match &v.evidence {
                Evidence::Stated { quote, .. } => format!("«{}»", crate::labels::clip(quote, 80)),
                Evidence::Inferred { note, .. } => format!("suy ra: {note}"),
            };
            out.push_str(&format!("\n  {} ← {why}", v.field));
        }
    }
    crate::labels::clip(&out, 4000)
}
