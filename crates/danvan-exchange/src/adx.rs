//! ADX (IHE Aggregate Data Exchange): `<adx>` of `<group orgUnit period dataSet>` of
//! `<dataValue dataElement value>`, in the `urn:ihe:qrph:adx:2015` namespace, the period as
//! its first day and length.

use std::collections::BTreeMap;

use crate::values::{DataValue, Located, Problem};

/// The ADX namespace.
pub const NAMESPACE: &str = "urn:ihe:qrph:adx:2015";

fn escape(s: &str) -> String {
    danvan_core::text::escape_markup(s)
}

/// The ADX document of `values`, grouped by organisation unit and period, `exported` its
/// time (RFC 3339). Every value's period must have an ADX form (see [`crate::period`]).
pub fn write(values: &[DataValue], data_set: &str, exported: &str) -> Result<String, Problem> {
    let mut groups: BTreeMap<(&str, String), Vec<&DataValue>> = BTreeMap::new();
    for v in values {
        let period = crate::period::from_dhis2(&v.period)
            .and_then(|p| crate::period::to_adx(&p))
            .map_err(|e| {
                Problem::new(
                    format!("{} {}", v.org_unit, v.period),
                    "no-period-form",
                    e.0,
                )
            })?;
        groups
            .entry((v.org_unit.as_str(), period))
            .or_default()
            .push(v);
    }
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<adx xmlns=\"{NAMESPACE}\" exported=\"{}\">\n",
        escape(exported)
    );
    for ((org_unit, period), values) in groups {
        out.push_str(&format!(
            "  <group orgUnit=\"{}\" period=\"{}\" dataSet=\"{}\">\n",
            escape(org_unit),
            escape(&period),
            escape(data_set)
        ));
        for v in values {
            out.push_str(&format!(
                "    <dataValue dataElement=\"{}\" value=\"{}\"/>\n",
                escape(&v.data_element),
                escape(&v.value)
            ));
        }
        out.push_str("  </group>\n");
    }
    out.push_str("</adx>\n");
    Ok(out)
}

/// Reads one `<group>`: its values into `out`, its problems into `problems`.
fn read_group(
    group: roxmltree::Node<'_, '_>,
    line: &dyn Fn(roxmltree::Node<'_, '_>) -> String,
    out: &mut Vec<Located>,
    problems: &mut Vec<Problem>,
) {
    if group.tag_name().name() != "group" {
        problems.push(Problem::new(
            line(group),
            "unexpected",
            format!("<{}> inside <adx>: only <group>", group.tag_name().name()),
        ));
        return;
    }
    let attr = |name: &str, problems: &mut Vec<Problem>| {
        let v = group
            .attribute(name)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from);
        if v.is_none() {
            problems.push(Problem::new(
                line(group),
                "missing",
                format!("<group> has no {name}"),
            ));
        }
        v
    };
    let org_unit = attr("orgUnit", problems);
    let period = attr("period", problems).and_then(|p| match crate::period::from_adx(&p) {
        Ok(p) => Some(p.id()),
        Err(e) => {
            problems.push(Problem::new(line(group), "no-period-form", e.0));
            None
        }
    });
    for v in group.children().filter(roxmltree::Node::is_element) {
        let at = line(v);
        if v.tag_name().name() != "dataValue" {
            problems.push(Problem::new(
                &at,
                "unexpected",
                format!("<{}> inside <group>: only <dataValue>", v.tag_name().name()),
            ));
            continue;
        }
        let extra: Vec<&str> = v
            .attributes()
            .map(|a| a.name())
            .filter(|n| !matches!(*n, "dataElement" | "value"))
            .collect();
        if !extra.is_empty() {
            problems.push(Problem::new(
                &at,
                "disaggregated",
                format!(
                    "{}: danvan figures have no disaggregation",
                    extra.join(", ")
                ),
            ));
        }
        let element = v
            .attribute("dataElement")
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let value = v
            .attribute("value")
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if element.is_none() {
            problems.push(Problem::new(
                &at,
                "missing",
                "<dataValue> has no dataElement",
            ));
        }
        if value.is_none() {
            problems.push(Problem::new(
                &at,
                "missing",
                "<dataValue> has no value: a value that is not there is not read as 0",
            ));
        }
        if let (Some(org_unit), Some(period), Some(element), Some(value)) =
            (&org_unit, &period, element, value)
        {
            out.push(Located {
                value: DataValue {
                    org_unit: org_unit.clone(),
                    period: period.clone(),
                    data_element: element.to_string(),
                    value: value.to_string(),
                },
                at,
            });
        }
    }
}

/// Reads an ADX document: every value that reads, each with where it is (`line 12`), its
/// period as the DHIS2 identifier; and every problem. Disaggregation attributes are refused (danvan figures
/// have none); a value given as text only (an `annotation`) is not a figure.
pub fn read(text: &str) -> (Vec<Located>, Vec<Problem>) {
    let doc = match roxmltree::Document::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            return (
                Vec::new(),
                vec![Problem::new(
                    format!("line {}", e.pos().row),
                    "unreadable",
                    e.to_string(),
                )],
            );
        }
    };
    let line =
        |n: roxmltree::Node<'_, '_>| format!("line {}", doc.text_pos_at(n.range().start).row);
    let root = doc.root_element();
    if root.tag_name().name() != "adx" || root.tag_name().namespace() != Some(NAMESPACE) {
        return (
            Vec::new(),
            vec![Problem::new(
                line(root),
                "not-adx",
                format!(
                    "the root is <{}>, not <adx xmlns=\"{NAMESPACE}\">",
                    root.tag_name().name()
                ),
            )],
        );
    }
    let mut out = Vec::new();
    let mut problems = Vec::new();
    if root.attribute("exported").is_none() {
        problems.push(Problem::new(
            line(root),
            "missing",
            "<adx> has no exported time",
        ));
    }
    for group in root.children().filter(roxmltree::Node::is_element) {
        read_group(group, &line, &mut out, &mut problems);
    }
    (out, problems)
}
