//! A record's JSON as given (flags, `--from`, a guided answer, a row of a file) read as the
//! typed record, every problem named by its field; a new record given without an ID gets one.

use danvan_core::dataset::AnyRecord;
use danvan_core::record_kind::RecordKind;
use serde_json::Value;

use crate::error::{CommandError, ErrorKind};
use crate::lang::t;

/// Reads `value` as a new record of `kind`; one given without an ID gets one made from its
/// province, date and title (`RecordRef::suggested_id`), the first free in `store`: a clerk
/// never has to invent one.
pub(crate) fn new_record(
    store: &dyn danvan_store::Store,
    kind: RecordKind,
    mut value: Value,
) -> Result<AnyRecord, CommandError> {
    let made = danvan_entry::ids::mark_missing_id(&mut value);
    let mut record = to_record(kind, value)?;
    if made {
        record.set_id(danvan_store::made_id(store, &record)?);
    }
    Ok(record)
}

/// Turns a record's JSON into the record, naming the field at fault (by its flag, with an
/// example).
pub(crate) fn to_record(kind: RecordKind, record: Value) -> Result<AnyRecord, CommandError> {
    let tagged = serde_json::json!({ "kind": kind, "record": record });
    serde_path_to_error::deserialize(tagged).map_err(|e| {
        let path = e.path().to_string();
        let path = path.strip_prefix("record").unwrap_or(&path);
        let path = path.strip_prefix('.').unwrap_or(path);
        let (field, message) = crate::form::plain_error(path, &e.into_inner().to_string());
        let named = crate::form::field(kind, &field)
            .or_else(|| crate::form::field(kind, field.split(['.', '[']).next().unwrap_or("")));
        let hint = match named {
            Some(f) => t!(
                "hint-set-field",
                flag = f.flag,
                example = format!("{:?}", f.example)
            ),
            None => t!("hint-add-help", kind = kind.as_str()),
        };
        let message = danvan_i18n::phrases(&message, crate::lang::lang());
        CommandError::new(ErrorKind::Data, format!("{field}: {message}")).with_hint(hint)
    })
}
