//! The work calendar as iCalendar (RFC 5545): conferences and the review deadlines of
//! directives (sơ kết, tổng kết) as all-day events, for one province or for everything a
//! reader may read, in Vietnamese (or English).
//!
//! What the records do not say is not invented: a conference known only to the month spans the
//! month and says that its day is not known; one dated only by its report says so; a review due
//! "in 2025" falls on its last day, 31 December, and says it is a deadline; a review held on a
//! known day is on that day and says it was held. Each event's `UID`
//! comes from the record (`conference-ID@danvan`, `review-DIRECTIVE-KIND-YEAR-PROVINCE@danvan`)
//! so that a calendar app that refreshes the feed updates its events rather than adding new
//! ones; `SEQUENCE` is the record's revision, which grows with every change.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use danvan_core::conference::{Conference, DatePrecision};
use danvan_core::directive::{Directive, Due, HeldOn, Milestone};
use danvan_core::province::{ProvinceRef, registry};
use danvan_store::Export;

use crate::doc::Lang;

/// The time zone the calendar names: Vietnam's, UTC+7 all year.
pub const TIME_ZONE: &str = "Asia/Ho_Chi_Minh";

/// One all-day event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Stable across refreshes: made from the record's ID.
    pub uid: String,
    /// The record's revision.
    pub sequence: u64,
    /// The first day.
    pub start: NaiveDate,
    /// The day after the last (iCalendar's `DTEND` of an all-day event).
    pub end: NaiveDate,
    /// The title.
    pub summary: String,
    /// What else the record says, one line each.
    pub description: Vec<String>,
    /// Where, when the record says.
    pub location: Option<String>,
    /// What kind of event: "Hội nghị", "Hạn sơ kết, tổng kết".
    pub categories: Vec<String>,
    /// Today's slug of the province whose event it is; `None` for a central one.
    pub province: Option<&'static str>,
}

/// Which events a calendar holds.
#[derive(Clone, Copy, Default)]
pub struct Scope<'a> {
    /// Only this province's (today's slug: a merged province's records count for its
    /// successor); `None` for every province's and the central ones.
    pub province: Option<&'static str>,
    /// Whether the reader may read a record of a province (today's slug; `None` for a central
    /// record): the API's read access. `None` reads everything.
    pub may_read: Option<MayRead<'a>>,
}

/// Whether a reader may read a record of a province (today's slug; `None`: a central record).
pub type MayRead<'a> = &'a dyn Fn(Option<&str>) -> bool;

impl Scope<'_> {
    fn holds(&self, province: Option<&'static str>) -> bool {
        if self.province.is_some() && province != self.province {
            return false;
        }
        self.may_read.is_none_or(|may| may(province))
    }
}

/// The events of the export's conferences and directives that `scope` holds, by day then UID.
pub fn events(export: &Export, scope: Scope<'_>, lang: Lang) -> Vec<Event> {
    let revision = |array: &str, id: &str| {
        export
            .revisions
            .get(array)
            .and_then(|ids| ids.get(id))
            .copied()
            .unwrap_or(export.revision)
    };
    let mut out: Vec<Event> = Vec::new();
    for c in &export.dataset.conferences {
        let province = today(c.province.as_ref().map(|p| p.as_str()));
        if scope.holds(province) {
            out.push(conference_event(
                c,
                province,
                revision("conferences", c.id.as_str()),
                lang,
            ));
        }
    }
    let mut taken = BTreeSet::new();
    for d in &export.dataset.directives {
        let sequence = revision("directives", d.id.as_str());
        for m in &d.milestones {
            // A review is its province's: a central directive's review in a province is that
            // province's, the directive's own review the directive's province's (or central).
            let recorded = m.province.as_ref().or(d.province.as_ref());
            let province = today(recorded.map(|p| p.as_str()));
            // Reviews not yet held matter only while the directive is in force; held ones are
            // the record of what was done.
            if !scope.holds(province) || m.held.is_none() && !d.is_tracked() {
                continue;
            }
            let mut event = review_event(
                &export.dataset.conferences,
                d,
                m,
                recorded,
                province,
                sequence,
                lang,
            );
            let mut n = 2;
            let base = event.uid.clone();
            while !taken.insert(event.uid.clone()) {
                event.uid = base.replace("@danvan", &format!("-{n}@danvan"));
                n += 1;
            }
            out.push(event);
        }
    }
    out.sort_by(|a, b| (a.start, &a.uid).cmp(&(b.start, &b.uid)));
    out
}

/// Today's slug of a recorded province.
fn today(recorded: Option<&str>) -> Option<&'static str> {
    recorded.and_then(|p| registry().current(p).map(|p| p.slug))
}

fn province_name(slug: Option<&str>) -> Option<&'static str> {
    slug.and_then(|s| registry().current(s).map(|p| p.name))
}

/// "Tỉnh/thành phố: Yên Bái (nay thuộc Lào Cai)": the province as recorded, on the map of
/// `on`, and what it has become when that differs.
fn place(recorded: Option<&str>, on: NaiveDate, lang: Lang) -> Option<String> {
    let reg = registry();
    let now = reg.current(recorded?)?;
    let then = reg.by_slug(recorded?, on).unwrap_or(now);
    let label = lang.pick("Tỉnh/thành phố", "Province");
    Some(if then.name == now.name {
        format!("{label}: {}", now.name)
    } else {
        match lang {
            Lang::Vi => format!("{label}: {} (nay thuộc {})", then.name, now.name),
            Lang::En => format!("{label}: {} (now part of {})", then.name, now.name),
        }
    })
}

fn date(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Vi => danvan_core::date::to_vietnamese_short(d),
        Lang::En => danvan_core::date::to_english(d),
    }
}

fn conference_event(
    c: &Conference,
    province: Option<&'static str>,
    sequence: u64,
    lang: Lang,
) -> Event {
    let mut summary = c.title.to_string();
    let mut description = Vec::new();
    let (start, end) = match c.date_precision {
        DatePrecision::Exact => (c.date, c.end_date.unwrap_or(c.date) + Days::new(1)),
        DatePrecision::Month => {
            summary.push_str(lang.pick(" (chưa rõ ngày)", " (day not known)"));
            description.push(
                lang.pick(
                    "Chỉ biết tháng tổ chức, chưa rõ ngày.",
                    "Only the month is known, not the day.",
                )
                .to_string(),
            );
            (c.date, next_month(c.date))
        }
        DatePrecision::Published => {
            summary.push_str(lang.pick(" (ngày đưa tin)", " (date reported)"));
            description.push(match lang {
                Lang::Vi => format!(
                    "Chưa rõ ngày tổ chức; nguồn đưa tin ngày {}.",
                    date(lang, c.date)
                ),
                Lang::En => format!(
                    "The day it was held is not known; the source reported it on {}.",
                    date(lang, c.date)
                ),
            });
            (c.date, c.date + Days::new(1))
        }
    };
    if let Some(place) = place(c.province.as_ref().map(|p| p.as_str()), c.date, lang) {
        description.push(place);
    }
    if !c.hosts.is_empty() {
        let hosts: Vec<&str> = c.hosts.iter().map(|h| h.as_str()).collect();
        description.push(format!(
            "{}: {}",
            lang.pick("Cơ quan tổ chức", "Hosted by"),
            hosts.join("; ")
        ));
    }
    if let Some(f) = &c.format {
        let mut format = lang.pick(f.name_vi(), f.name_en()).to_string();
        if let Some(points) = f.connection_points() {
            let _ = write!(
                format,
                ", {points} {}",
                lang.pick("điểm cầu", "connection points")
            );
        }
        description.push(format!("{}: {format}", lang.pick("Hình thức", "Format")));
    }
    if let Some(p) = c.reviewed_period {
        let period = match lang {
            Lang::Vi => p.to_vietnamese(),
            Lang::En => p.to_english(),
        };
        description.push(format!(
            "{}: {period}",
            lang.pick("Kỳ đánh giá", "Period reviewed")
        ));
    }
    description.push(format!("{}: {}", lang.pick("Mã hồ sơ", "Record"), c.id));
    let mut categories = vec![lang.pick("Hội nghị", "Conference").to_string()];
    categories.extend(
        c.kinds
            .iter()
            .map(|k| lang.pick(k.name_vi(), k.name_en()).to_string()),
    );
    Event {
        uid: format!("conference-{}@danvan", c.id),
        sequence,
        start,
        end,
        summary,
        description,
        location: c.location.as_ref().map(ToString::to_string),
        categories,
        province,
    }
}

fn next_month(d: NaiveDate) -> NaiveDate {
    d.checked_add_months(chrono::Months::new(1))
        .and_then(|n| n.with_day(1))
        .unwrap_or(d)
}

fn review_event(
    conferences: &[Conference],
    d: &Directive,
    m: &Milestone,
    recorded: Option<&ProvinceRef>,
    province: Option<&'static str>,
    sequence: u64,
    lang: Lang,
) -> Event {
    let deadline = m.due.deadline();
    let review = match (&m.label, lang) {
        (Some(label), Lang::Vi) => label.to_string(),
        _ => lang.pick(m.kind.name_vi(), m.kind.name_en()).to_string(),
    };
    let directive = match (lang, &d.number) {
        (Lang::En, Some(n)) => format!("{} {n}", d.doc_type.name_en()),
        _ => d.label(),
    };
    // A review held on a known day — its own, or its conference's — is shown on that day; any
    // other on its deadline.
    let held_on = m.held.as_ref().and_then(|h| match h.on {
        Some(HeldOn::Day(day)) => Some(day),
        Some(HeldOn::Within(_)) => None,
        None => h
            .conference
            .as_ref()
            .and_then(|id| conferences.iter().find(|c| c.id == *id))
            .filter(|c| c.date_precision.is_exact())
            .map(|c| c.date),
    });
    let mut summary = match (held_on, lang) {
        (None, Lang::Vi) => format!("Hạn {review} {directive}"),
        (None, Lang::En) => format!("Deadline: {review} of {directive}"),
        (Some(_), Lang::Vi) => format!("{} {directive}", capitalise(&review)),
        (Some(_), Lang::En) => format!("{} of {directive}", capitalise(&review)),
    };
    // A central directive's review in a province names the province: the national calendar
    // holds one for each.
    if m.province.is_some()
        && let Some(name) = province_name(province)
    {
        let _ = write!(summary, " ({name})");
    }
    let mut description = vec![d.title_or_label()];
    description.push(match (m.due, lang) {
        (Due::Year(y), Lang::Vi) => format!(
            "Thời hạn: trong năm {y} (chậm nhất {})",
            date(lang, deadline)
        ),
        (Due::Year(y), Lang::En) => format!("Due: in {y} (by {})", date(lang, deadline)),
        (Due::Date(_), Lang::Vi) => format!("Thời hạn: {}", date(lang, deadline)),
        (Due::Date(_), Lang::En) => format!("Due: by {}", date(lang, deadline)),
        (Due::Period(p), Lang::Vi) => format!(
            "Thời hạn: trong {} (chậm nhất {})",
            p.to_vietnamese(),
            date(lang, deadline)
        ),
        (Due::Period(p), Lang::En) => {
            format!("Due: in {} (by {})", p.to_english(), date(lang, deadline))
        }
    });
    match &m.held {
        Some(held) => {
            let when = match held.on {
                Some(HeldOn::Within(p)) => Some(match lang {
                    Lang::Vi => p.to_vietnamese(),
                    Lang::En => p.to_english(),
                }),
                _ => held_on.map(|day| date(lang, day)),
            };
            if held_on.is_none() {
                let _ = write!(summary, "{}", lang.pick(": đã tổ chức", " (held)"));
            }
            description.push(match (when, lang) {
                (Some(w), Lang::Vi) => format!("Đã tổ chức: {w}"),
                (Some(w), Lang::En) => format!("Held: {w}"),
                (None, _) => lang.pick("Đã tổ chức", "Held").to_string(),
            });
            if let Some(by) = &held.by {
                description.push(format!("{}: {by}", lang.pick("Đơn vị tổ chức", "Held by")));
            }
        }
        None => description.push(lang.pick("Chưa tổ chức", "Not yet held").to_string()),
    }
    if let Some(place) = place(recorded.map(|p| p.as_str()), deadline, lang) {
        description.push(place);
    }
    description.push(format!("{}: {}", lang.pick("Mã hồ sơ", "Record"), d.id));
    let kind = serde_json::to_value(m.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    Event {
        uid: format!(
            "review-{}-{kind}-{}-{}@danvan",
            d.id,
            m.due.year(),
            province.unwrap_or("central")
        ),
        sequence,
        start: held_on.unwrap_or(deadline),
        end: held_on.unwrap_or(deadline) + Days::new(1),
        summary,
        description,
        location: None,
        categories: vec![
            lang.pick("Hạn sơ kết, tổng kết", "Review deadline")
                .to_string(),
        ],
        province,
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The calendar's name: "Lịch công tác dân vận — Thái Nguyên", or "— toàn quốc".
pub fn name(province: Option<&str>, lang: Lang) -> String {
    let place = province_name(province).map_or_else(
        || lang.pick("toàn quốc", "national").to_string(),
        String::from,
    );
    match lang {
        Lang::Vi => format!("Lịch công tác dân vận — {place}"),
        Lang::En => format!("Dân vận work calendar — {place}"),
    }
}

/// The iCalendar text (RFC 5545: CRLF line ends, lines folded at 75 octets, text escaped) of
/// `events`, named `name`, stamped `stamp` (when it was made).
pub fn write(events: &[Event], name: &str, stamp: DateTime<Utc>) -> String {
    let mut out = Lines::default();
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.line("PRODID:-//danvan//danvan work calendar//VI");
    out.line("CALSCALE:GREGORIAN");
    out.line("METHOD:PUBLISH");
    out.text("NAME", name);
    out.text("X-WR-CALNAME", name);
    out.line(&format!("X-WR-TIMEZONE:{TIME_ZONE}"));
    out.line("REFRESH-INTERVAL;VALUE=DURATION:PT1H");
    out.line("X-PUBLISHED-TTL:PT1H");
    // Vietnam has kept UTC+7 since 1975, with no summer time.
    for l in [
        "BEGIN:VTIMEZONE",
        &format!("TZID:{TIME_ZONE}"),
        "BEGIN:STANDARD",
        "DTSTART:19750613T000000",
        "TZOFFSETFROM:+0700",
        "TZOFFSETTO:+0700",
        "TZNAME:+07",
        "END:STANDARD",
        "END:VTIMEZONE",
    ] {
        out.line(l);
    }
    let stamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    for e in events {
        out.line("BEGIN:VEVENT");
        out.text("UID", &e.uid);
        out.line(&format!("DTSTAMP:{stamp}"));
        out.line(&format!("SEQUENCE:{}", e.sequence));
        out.line(&format!("DTSTART;VALUE=DATE:{}", e.start.format("%Y%m%d")));
        out.line(&format!("DTEND;VALUE=DATE:{}", e.end.format("%Y%m%d")));
        // No LANGUAGE parameter: the labels are in `lang`, the records' own text (titles,
        // bodies) in Vietnamese.
        out.text("SUMMARY", &e.summary);
        out.text("DESCRIPTION", &e.description.join("\n"));
        if let Some(location) = &e.location {
            out.text("LOCATION", location);
        }
        let categories: Vec<String> = e.categories.iter().map(|c| escape(c)).collect();
        out.line(&format!("CATEGORIES:{}", categories.join(",")));
        out.line("TRANSP:TRANSPARENT");
        out.line("END:VEVENT");
    }
    out.line("END:VCALENDAR");
    out.0
}

/// The feed's lines, folded as they are added.
#[derive(Default)]
struct Lines(String);

impl Lines {
    /// Adds a content line, folded: no line over 75 octets, a fold never inside a character.
    fn line(&mut self, line: &str) {
        let mut width = 0;
        for ch in line.chars() {
            let len = ch.len_utf8();
            if width + len > 75 {
                self.0.push_str("\r\n ");
                width = 1;
            }
            self.0.push(ch);
            width += len;
        }
        self.0.push_str("\r\n");
    }

    /// Adds the property `name` with the TEXT value `value`, escaped.
    fn text(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{}", escape(value)));
    }
}

/// A TEXT value escaped (RFC 5545 §3.3.11): backslash, semicolon, comma and line ends.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// How many events of each category: for the CLI's summary line.
pub fn counts(events: &[Event]) -> BTreeMap<&str, usize> {
    let mut out = BTreeMap::new();
    for e in events {
        if let Some(c) = e.categories.first() {
            *out.entry(c.as_str()).or_insert(0) += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fold_at_75_octets_between_characters() {
        let mut l = Lines::default();
        l.text(
            "SUMMARY",
            &"Hội nghị đối thoại giữa người đứng đầu cấp ủy ".repeat(4),
        );
        for line in l.0.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        }
        let unfolded = l.0.replace("\r\n ", "");
        assert!(unfolded.starts_with("SUMMARY:Hội nghị đối thoại"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("Sơ kết; tổng kết, \\ rút\r\nkinh nghiệm"),
            "Sơ kết\\; tổng kết\\, \\\\ rút\\nkinh nghiệm"
        );
    }
}
