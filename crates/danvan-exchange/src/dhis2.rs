//! DHIS2's `dataValueSets` JSON: what `POST /api/dataValueSets` takes and `GET` gives.

use serde::{Deserialize, Serialize};

use crate::values::{DataValue, Located, Problem};

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DataValueSet {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    data_set: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    complete_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    org_unit: Option<String>,
    data_values: Vec<Wire>,
}

/// One data value as DHIS2 writes it; the fields danvan does not use are read and left.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wire {
    data_element: Option<String>,
    period: Option<String>,
    org_unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    category_option_combo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    attribute_option_combo: Option<String>,
    value: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
    #[serde(flatten, skip_serializing)]
    _rest: serde_json::Map<String, serde_json::Value>,
}

/// The `dataValueSets` JSON of `values` (pretty, a final newline).
pub fn write(values: &[DataValue], data_set: Option<&str>) -> String {
    let set = DataValueSet {
        data_set: data_set.map(String::from),
        complete_date: None,
        period: None,
        org_unit: None,
        data_values: values
            .iter()
            .map(|v| Wire {
                data_element: Some(v.data_element.clone()),
                period: Some(v.period.clone()),
                org_unit: Some(v.org_unit.clone()),
                category_option_combo: None,
                attribute_option_combo: None,
                value: Some(serde_json::Value::String(v.value.clone())),
                comment: None,
                _rest: serde_json::Map::new(),
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&set).unwrap_or_default();
    out.push('\n');
    out
}

/// Reads a `dataValueSets` JSON payload: every value that reads, each with where it is
/// (`dataValues[12]`), and every problem. A value's period and organisation unit may be given
/// on the set instead (as DHIS2 allows); a category option combination other than the default
/// is refused (danvan has no disaggregations).
pub fn read(text: &str) -> (Vec<Located>, Vec<Problem>) {
    let de = &mut serde_json::Deserializer::from_str(text);
    let set: DataValueSet = match serde_path_to_error::deserialize(de) {
        Ok(set) => set,
        Err(e) => {
            return (
                Vec::new(),
                vec![Problem::new(
                    format!("line {}: {}", e.inner().line(), e.path()),
                    "unreadable",
                    e.inner().to_string(),
                )],
            );
        }
    };
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, w) in set.data_values.into_iter().enumerate() {
        let at = format!("dataValues[{i}]");
        let field =
            |name: &str, own: Option<String>, set: &Option<String>, problems: &mut Vec<Problem>| {
                let v = own
                    .or_else(|| set.clone())
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty());
                if v.is_none() {
                    problems.push(Problem::new(
                        format!("{at}.{name}"),
                        "missing",
                        format!("no {name}"),
                    ));
                }
                v
            };
        let element = field("dataElement", w.data_element, &None, &mut problems);
        let period = field("period", w.period, &set.period, &mut problems);
        let org_unit = field("orgUnit", w.org_unit, &set.org_unit, &mut problems);
        for (name, combo) in [
            ("categoryOptionCombo", &w.category_option_combo),
            ("attributeOptionCombo", &w.attribute_option_combo),
        ] {
            if let Some(c) = combo
                .as_deref()
                .filter(|c| !c.is_empty() && !matches!(*c, "default" | "HllvX50cXC0"))
            {
                problems.push(Problem::new(
                    format!("{at}.{name}"),
                    "disaggregated",
                    format!(
                        "{c:?}: danvan figures have no disaggregation, only the default combination"
                    ),
                ));
            }
        }
        let value = match w.value {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {
                Some(s.trim().to_string())
            }
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => {
                problems.push(Problem::new(
                    format!("{at}.value"),
                    "missing",
                    "no value: a value that is not there is not read as 0",
                ));
                None
            }
        };
        if let (Some(data_element), Some(period), Some(org_unit), Some(value)) =
            (element, period, org_unit, value)
        {
            out.push(Located {
                value: DataValue {
                    org_unit,
                    period,
                    data_element,
                    value,
                },
                at,
            });
        }
    }
    (out, problems)
}
