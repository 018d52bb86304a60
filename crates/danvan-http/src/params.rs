//! Query parameters of the list, search and export routes, and how they become a store query.
//!
//! The parameters are strings parsed here, so a bad value is a 400 that names the parameter
//! and says what it should look like. The web app's lists take the same parameters
//! ([`ListParams`]).

use chrono::NaiveDate;
use danvan_core::conference::ConferenceKind;
use danvan_core::id::RecordId;
use danvan_core::model::ModelField;
use danvan_core::period::{Period, Window};
use danvan_core::record_kind::RecordKind;
use danvan_core::vocabulary::Vocabulary;
use danvan_store::{
    MAX_LIMIT, PeriodFilter, PeriodMatch, ProvinceFilter, ProvinceMap, Query, SortKey,
};
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

use crate::problem::Problem;

/// Filters, ordering, paging and field selection of a list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// A province: slug (`thai-nguyen`), name with or without diacritics, or code.
    pub province: Option<String>,
    /// `current` (default): records of merged provinces count for their successor on the
    /// 2025 map (Bắc Kạn's 2024 records for Thái Nguyên); `as_recorded`: only the province
    /// named.
    #[param(inline, value_type = Option<ProvinceMapName>)]
    pub map: Option<String>,
    /// A period: `2024`, `2024S1`, `2024Q2`, `202406`, `2021-2025`, `NK2020-2025`, or a
    /// Vietnamese phrase (`6 tháng đầu năm 2024`).
    pub period: Option<String>,
    /// `within` (default): records wholly inside the period; `overlaps`: sharing a day.
    #[param(inline, value_type = Option<PeriodMatchName>)]
    pub matching: Option<String>,
    /// `calendar` (default) or `cut_off` (the Decree 09/2019 reporting window).
    #[param(inline, value_type = Option<WindowNameName>)]
    pub window: Option<String>,
    /// Records dated on or after this day (YYYY-MM-DD).
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub since: Option<String>,
    /// Records dated on or before this day (YYYY-MM-DD).
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub until: Option<String>,
    /// Conferences of this kind: `six_month_review`, `annual_review`, `directive_review`,
    /// `thematic`, `workshop`, `dialogue`, `training`.
    #[param(inline, value_type = Option<ConferenceKindName>)]
    pub kind: Option<String>,
    /// Models of this field: `economy`, `culture_society`, `defence_security`,
    /// `political_system`, `other`.
    #[param(inline, value_type = Option<ModelFieldName>)]
    pub field: Option<String>,
    /// Observations of this indicator ID.
    pub indicator: Option<String>,
    /// Conferences that reviewed this period or a part of it (`2024` finds reviews of
    /// `2024`, `2024S1` and `2024S2`), whatever their own date; same forms as `period`.
    pub reviewed_period: Option<String>,
    /// Text that must occur, ignoring case, diacritics and tone placement; every word must
    /// match.
    pub q: Option<String>,
    /// Search and export only: record types, comma-separated (`conference,model`).
    pub types: Option<String>,
    /// `date` (default), `id`, `title` (Vietnamese order), `revision`, or `relevance` (with
    /// `q`).
    #[param(inline, value_type = Option<SortKeyName>)]
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    #[param(inline, value_type = Option<OrderName>)]
    pub order: Option<String>,
    /// Page size, 1–1000 (default 50).
    #[param(value_type = Option<u16>, minimum = 1, maximum = 1000)]
    pub limit: Option<String>,
    /// The `cursor` of the previous page's `next` link.
    pub cursor: Option<String>,
    /// Fields to return, comma-separated; dotted paths reach into objects (`id,title,date`).
    pub fields: Option<String>,
}

/// Parses a vocabulary's value: a 400 naming the parameter and every name it takes.
pub(crate) fn vocabulary_param<T: Vocabulary>(name: &str, value: &str) -> Result<T, Problem> {
    T::from_name(value).map_err(|e| Problem::bad_param(name, e))
}

/// An optional vocabulary parameter, `default` when absent.
fn vocabulary_or<T: Vocabulary>(name: &str, value: Option<&str>, default: T) -> Result<T, Problem> {
    value.map_or(Ok(default), |v| vocabulary_param(name, v))
}

/// Parses a page size, 1 to [`MAX_LIMIT`]; `default` when absent.
pub(crate) fn limit_param(value: Option<&str>, default: usize) -> Result<usize, Problem> {
    match value {
        None => Ok(default),
        Some(l) => match l.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            _ => Err(Problem::bad_param(
                "limit",
                format!("{l:?} is not a number from 1 to {MAX_LIMIT}"),
            )),
        },
    }
}

/// Parses a YYYY-MM-DD date parameter.
pub(crate) fn date_param(name: &str, value: &str) -> Result<NaiveDate, Problem> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| Problem::bad_param(name, format!("{value:?} is not a date (YYYY-MM-DD)")))
}

/// Parses a period parameter.
pub(crate) fn period_param(name: &str, value: &str) -> Result<Period, Problem> {
    Period::parse(value, None).map_err(|e| Problem::bad_param(name, e))
}

/// Parses the province map parameter (`current` when absent).
pub(crate) fn map_param(value: Option<&str>) -> Result<ProvinceMap, Problem> {
    vocabulary_or("map", value, ProvinceMap::Current)
}

/// The reporting window a query parameter names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum WindowName {
    /// Calendar boundaries.
    Calendar,
    /// The Decree 09/2019 cut-off window (from the 15th).
    CutOff,
}

impl Vocabulary for WindowName {
    const WHAT: &'static str = "window";
    const ALL: &'static [Self] = &[WindowName::Calendar, WindowName::CutOff];
}

/// Parses the window parameter (`calendar` when absent).
pub(crate) fn window_param(value: Option<&str>) -> Result<Window, Problem> {
    Ok(
        match vocabulary_or("window", value, WindowName::Calendar)? {
            WindowName::Calendar => Window::Calendar,
            WindowName::CutOff => Window::DECREE_09,
        },
    )
}

/// Ascending or descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Order {
    /// Smallest first.
    Asc,
    /// Largest first.
    Desc,
}

impl Vocabulary for Order {
    const WHAT: &'static str = "order";
    const ALL: &'static [Self] = &[Order::Asc, Order::Desc];
}

/// The OpenAPI schema of a vocabulary parameter: a string, one of its names.
pub(crate) fn vocabulary_schema<T: Vocabulary>() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(T::names()))
        .build()
}

/// Declares, for each vocabulary, a type whose OpenAPI schema is that vocabulary's names, for
/// `#[param(inline, value_type = Option<…Name>)]` on string parameters parsed with
/// [`vocabulary_param`].
macro_rules! vocabulary_schemas {
    ($($name:ident => $ty:ty),* $(,)?) => {$(
        #[doc = concat!("The names of [`", stringify!($ty), "`], for the OpenAPI document.")]
        pub(crate) struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                vocabulary_schema::<$ty>().into()
            }
        }

        impl utoipa::ToSchema for $name {}
    )*};
}

vocabulary_schemas! {
    ProvinceMapName => ProvinceMap,
    PeriodMatchName => PeriodMatch,
    WindowNameName => WindowName,
    ConferenceKindName => ConferenceKind,
    ModelFieldName => ModelField,
    SortKeyName => SortKey,
    OrderName => Order,
    FormatName => danvan_report::Format,
    LangName => danvan_report::Lang,
    ProvinceOrderName => danvan_report::ProvinceOrder,
    ExportFormatName => ExportFormat,
}

/// Parses a comma-separated list of record types (singular or plural names).
pub(crate) fn types_param(value: &str) -> Result<Vec<RecordKind>, Problem> {
    value
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            RecordKind::ALL
                .into_iter()
                .find(|k| k.as_str() == t || k.plural() == t)
                .ok_or_else(|| {
                    Problem::bad_param(
                        "types",
                        format!(
                            "{t:?} is not one of {} (or their plurals)",
                            RecordKind::names().join(", ")
                        ),
                    )
                })
        })
        .collect()
}

impl ListParams {
    /// The store query; `kind` is the collection's kind (`None` for search and export, which
    /// take `types`); only records `reads` may read. The API's lists and the web app's read
    /// their parameters by it.
    pub fn query(
        &self,
        kind: Option<RecordKind>,
        reads: &danvan_store::Access,
    ) -> Result<Query, Problem> {
        let kinds = match (kind, &self.types) {
            (Some(_), Some(_)) => {
                return Err(Problem::bad_param(
                    "types",
                    "applies to /v1/search and /v1/export; this collection has one type",
                ));
            }
            (Some(k), None) => vec![k],
            (None, Some(t)) => types_param(t)?,
            (None, None) => Vec::new(),
        };
        let period = match &self.period {
            Some(p) => Some(PeriodFilter {
                period: period_param("period", p)?,
                matching: vocabulary_or("matching", self.matching.as_deref(), PeriodMatch::Within)?,
                window: window_param(self.window.as_deref())?,
            }),
            None => {
                for (name, v) in [("matching", &self.matching), ("window", &self.window)] {
                    if v.is_some() {
                        return Err(Problem::bad_param(name, "applies only with `period`"));
                    }
                }
                None
            }
        };
        let map = map_param(self.map.as_deref())?;
        if self.province.is_none() && self.map.is_some() {
            return Err(Problem::bad_param("map", "applies only with `province`"));
        }
        let limit = limit_param(self.limit.as_deref(), 50)?;
        let sort = vocabulary_or("sort", self.sort.as_deref(), SortKey::Date)?;
        if sort == SortKey::Relevance && self.q.is_none() {
            return Err(Problem::bad_param("sort", "relevance needs `q`"));
        }
        let descending = vocabulary_or("order", self.order.as_deref(), Order::Asc)? == Order::Desc;
        Ok(Query {
            kinds,
            readable_by: reads.clone(),
            province: self.province.as_ref().map(|p| ProvinceFilter {
                province: p.clone(),
                map,
            }),
            period,
            since: self
                .since
                .as_deref()
                .map(|d| date_param("since", d))
                .transpose()?,
            until: self
                .until
                .as_deref()
                .map(|d| date_param("until", d))
                .transpose()?,
            conference_kind: self
                .kind
                .as_deref()
                .map(|k| vocabulary_param::<ConferenceKind>("kind", k))
                .transpose()?,
            model_field: self
                .field
                .as_deref()
                .map(|f| vocabulary_param::<ModelField>("field", f))
                .transpose()?,
            indicator: self
                .indicator
                .as_deref()
                .map(|i| RecordId::new(i).map_err(|e| Problem::bad_param("indicator", e)))
                .transpose()?,
            reviewed_period: self
                .reviewed_period
                .as_deref()
                .map(|p| period_param("reviewed_period", p))
                .transpose()?,
            text: self.q.clone().filter(|q| !q.trim().is_empty()),
            sort,
            descending,
            limit,
            cursor: self.cursor.clone(),
        })
    }

    /// The field paths of `fields=`, if given.
    pub(crate) fn fields(&self) -> Option<Vec<String>> {
        self.fields.as_ref().map(|f| {
            f.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
    }
}

/// Keeps only `fields` of a JSON object (dotted paths reach into nested objects).
pub(crate) fn select(value: Value, fields: &[String]) -> Value {
    let Value::Object(source) = value else {
        return value;
    };
    let mut out = serde_json::Map::new();
    for path in fields {
        let mut parts = path.split('.');
        let Some(first) = parts.next() else { continue };
        let Some(v) = source.get(first) else { continue };
        let rest: Vec<&str> = parts.collect();
        if rest.is_empty() {
            out.insert(first.to_string(), v.clone());
        } else {
            let picked = select(v.clone(), &[rest.join(".")]);
            match (out.get_mut(first), picked) {
                (Some(Value::Object(existing)), Value::Object(more)) => existing.extend(more),
                (_, Value::Object(more)) if !more.is_empty() => {
                    out.insert(first.to_string(), Value::Object(more));
                }
                _ => {}
            }
        }
    }
    Value::Object(out)
}

/// What `/v1/export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ExportFormat {
    /// One export document.
    Json,
    /// One `{"kind", "record"}` object per line.
    Jsonl,
}

impl Vocabulary for ExportFormat {
    const WHAT: &'static str = "export format";
    const ALL: &'static [Self] = &[ExportFormat::Json, ExportFormat::Jsonl];
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parameters_become_a_query() {
        let p = ListParams {
            province: Some("Bắc Kạn".into()),
            map: Some("as_recorded".into()),
            period: Some("6 tháng đầu năm 2024".into()),
            sort: Some("title".into()),
            order: Some("desc".into()),
            limit: Some("20".into()),
            ..Default::default()
        };
        let q = p
            .query(
                Some(RecordKind::Conference),
                &danvan_store::Access::National,
            )
            .unwrap();
        assert_eq!(q.kinds, vec![RecordKind::Conference]);
        assert_eq!(q.province.unwrap().map, ProvinceMap::AsRecorded);
        assert_eq!(q.period.unwrap().period.to_string(), "2024S1");
        assert_eq!((q.sort, q.descending, q.limit), (SortKey::Title, true, 20));
    }

    #[test]
    fn bad_parameters_are_named() {
        let cases = [
            (
                ListParams {
                    limit: Some("0".into()),
                    ..Default::default()
                },
                "limit",
            ),
            (
                ListParams {
                    since: Some("2024-13-01".into()),
                    ..Default::default()
                },
                "since",
            ),
            (
                ListParams {
                    kind: Some("party".into()),
                    ..Default::default()
                },
                "kind",
            ),
            (
                ListParams {
                    window: Some("cut_off".into()),
                    ..Default::default()
                },
                "window",
            ),
            (
                ListParams {
                    types: Some("conference".into()),
                    ..Default::default()
                },
                "types",
            ),
            (
                ListParams {
                    sort: Some("relevance".into()),
                    ..Default::default()
                },
                "sort",
            ),
        ];
        for (p, name) in cases {
            let e = p
                .query(
                    Some(RecordKind::Conference),
                    &danvan_store::Access::National,
                )
                .unwrap_err();
            assert!(e.detail.contains(&format!("`{name}`")), "{}", e.detail);
        }
    }

    #[test]
    fn field_selection() {
        let v = json!({"id": "a", "title": "t", "place": {"name": "n", "province": "p"}, "x": 1});
        assert_eq!(
            select(
                v.clone(),
                &["id".into(), "place.name".into(), "missing".into()]
            ),
            json!({"id": "a", "place": {"name": "n"}})
        );
        assert_eq!(
            select(v, &["place.name".into(), "place.province".into()]),
            json!({"place": {"name": "n", "province": "p"}})
        );
    }
}
