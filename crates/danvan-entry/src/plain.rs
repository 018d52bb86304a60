//! A record's deserialisation error in a person's words.

/// A record's deserialisation error in a person's words: the field it is about (a missing
/// field named in full) and what is wrong, with no serde or Rust wording.
pub fn plain_error(path: &str, message: &str) -> (String, String) {
    let path = if path == "." { "" } else { path };
    let ticked = |m: &str| -> Vec<String> {
        m.split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, s)| s.to_string())
            .collect()
    };
    let join = |field: &str| -> String {
        match path {
            "" => field.to_string(),
            p => format!("{p}.{field}"),
        }
    };
    // serde_json adds " at line L column C" to messages about a document; a record built
    // here has no lines.
    let message = message.split(" at line ").next().unwrap_or(message);
    fn type_name(t: &str) -> &str {
        match t {
            "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" => {
                "a whole number"
            }
            "f64" | "f32" => "a number",
            t if t.contains("string") => "text",
            t if t.contains("sequence") => "a list",
            t if t.contains("map") || t.contains("struct") => "an object",
            t if t.contains("tagged enum Format") => {
                "a format: {\"mode\": \"in_person\"}, {\"mode\": \"online\", \"connection_points\": 13} or \"hybrid\" (or the flags --in-person, --online N, --hybrid N)"
            }
            t => t,
        }
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let name = rest.trim_matches('`');
        return (join(name), "is required and missing".into());
    }
    // "unknown variant `x`, expected one of `a`, `b`": what was given, and what is taken.
    let given_and_expected = || {
        let names = ticked(message);
        names
            .split_first()
            .map_or((String::new(), Vec::new()), |(g, e)| {
                (g.clone(), e.to_vec())
            })
    };
    if message.starts_with("unknown variant ") {
        let (given, expected) = given_and_expected();
        return (
            path.into(),
            format!("{given:?} is not one of: {}", expected.join(", ")),
        );
    }
    if message.starts_with("unknown field ") {
        let (given, expected) = given_and_expected();
        return (
            join(&given),
            format!(
                "is not a field here; the fields are {}",
                expected.join(", ")
            ),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        let found = found.replace('`', "");
        return (
            path.into(),
            format!("should be {}, not {found}", type_name(expected)),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid value: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return (
            path.into(),
            format!("{} is not {expected}", found.replace('`', "")),
        );
    }
    if let Some(expected) = message.strip_prefix("expected ") {
        return (path.into(), format!("should be {}", type_name(expected)));
    }
    (path.into(), message.replace('`', "\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::a;
    use danvan_core::record_kind::RecordKind;

    #[test]
    fn no_serde_words() {
        assert_eq!(
            plain_error(
                "kinds[0]",
                "unknown variant `farming`, expected one of `economy`, `other`"
            ),
            (
                "kinds[0]".into(),
                "\"farming\" is not one of: economy, other".into()
            )
        );
        assert_eq!(
            plain_error("", "missing field `title`"),
            ("title".into(), "is required and missing".into())
        );
        assert_eq!(
            plain_error("chairs[0]", "missing field `name`"),
            ("chairs[0].name".into(), "is required and missing".into())
        );
        assert_eq!(
            plain_error(
                "start_year",
                "invalid type: string \"năm ngoái\", expected i32"
            ),
            (
                "start_year".into(),
                "should be a whole number, not string \"năm ngoái\"".into()
            )
        );
        assert_eq!(
            plain_error("format", "expected internally tagged enum Format"),
            ("format".into(), "should be a format: {\"mode\": \"in_person\"}, {\"mode\": \"online\", \"connection_points\": 13} or \"hybrid\" (or the flags --in-person, --online N, --hybrid N)".into())
        );
        assert_eq!(a(RecordKind::Observation), "an observation");
        assert_eq!(a(RecordKind::Model), "a model");
    }
}
