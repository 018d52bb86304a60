//! A report's outline as data: which sections it has, in which order, under which headings,
//! and what fills each — text worked out from the records (`generated`), the board's own text
//! (`written`), what the units' approved reports wrote (`units`), or nothing but the sections
//! under it. Built-in outlines live in `templates/*.toml` ([`Template::builtin`]); a board
//! adjusts a copy and reads it with [`Template::parse`].
//!
//! Sections are numbered as Party reports number them: parts by their own heading ("PHẦN THỨ
//! NHẤT: …"), sections I, II, III… (numbering again in each part), sub-sections 1, 2, 3….

use serde::Deserialize;

use crate::doc::Lang;

/// The built-in outlines: (id, TOML).
const BUILTIN: [(&str, &str); 4] = [
    ("hien-hanh", include_str!("../templates/hien-hanh.toml")),
    ("dinh-ky", include_str!("../templates/dinh-ky.toml")),
    (
        "so-ket-van-ban",
        include_str!("../templates/so-ket-van-ban.toml"),
    ),
    ("ban-tin", include_str!("../templates/ban-tin.toml")),
];

/// A report's outline.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// Its ID: `dinh-ky`.
    pub id: String,
    /// Its name in Vietnamese.
    pub name_vi: String,
    /// Its name in English.
    pub name_en: String,
    /// Its parts; an outline without parts has one, unnamed.
    pub parts: Vec<Part>,
}

/// A part ("PHẦN THỨ NHẤT: …") and its sections.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Its heading, in each language; `None` for the one part of an outline without parts.
    pub heading: Option<(String, String)>,
    /// Its sections, numbered I, II, … within it.
    pub sections: Vec<SectionSpec>,
}

/// A section of the outline.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionSpec {
    /// Its heading without its number, in each language; `None`: the generated text's own.
    pub heading: Option<(String, String)>,
    /// What fills it.
    pub fill: Fill,
    /// Its sub-sections, numbered 1, 2, ….
    pub sub: Vec<SectionSpec>,
}

/// What fills a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fill {
    /// Nothing but its sub-sections.
    Nothing,
    /// Text worked out from the records.
    Generated(Generated),
    /// The board's own text under `key`; until written, the hint says what belongs there.
    Written {
        /// The section's key.
        key: String,
        /// What belongs there, in each language.
        hint: (String, String),
    },
    /// What the units' approved reports of the period wrote in their section `key`.
    Units {
        /// The form section's key.
        key: String,
    },
}

/// The parts of a report danvan works out from the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Generated {
    /// The period at a glance: conferences, directives, models, and the roll-up note.
    Situation,
    /// Leadership and direction: directives issued, reviews held, due and overdue.
    Leadership,
    /// Results: conferences, the "Dân vận khéo" movement, commendations, indicators.
    Results,
    /// Shortcomings: figures short of their targets, what conferences recorded.
    Limitations,
    /// The tasks of the period that follows.
    Directions,
}

/// Why an outline could not be read: the TOML, or a section that does not say what fills it
/// as it should (named by its place: `part 1, section 2, sub-section 3`).
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// Not TOML of an outline.
    #[error("{0}")]
    Toml(String),
    /// A section in error.
    #[error("{at}: {message}")]
    Section {
        /// Where.
        at: String,
        /// What is wrong.
        message: String,
    },
    /// No built-in outline of that ID.
    #[error("no outline `{0}`; the built-in ones: hien-hanh, dinh-ky, so-ket-van-ban, ban-tin")]
    Unknown(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSection {
    heading_vi: Option<String>,
    heading_en: Option<String>,
    fill: Option<String>,
    part: Option<Generated>,
    key: Option<String>,
    hint_vi: Option<String>,
    hint_en: Option<String>,
    #[serde(default)]
    sub: Vec<FileSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FilePart {
    heading_vi: String,
    heading_en: String,
    #[serde(default)]
    section: Vec<FileSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    id: String,
    name_vi: String,
    name_en: String,
    #[serde(default)]
    part: Vec<FilePart>,
    #[serde(default)]
    section: Vec<FileSection>,
}

impl Template {
    /// The built-in outline `id`.
    pub fn builtin(id: &str) -> Result<Template, TemplateError> {
        let (_, text) = BUILTIN
            .iter()
            .find(|(i, _)| *i == id)
            .ok_or_else(|| TemplateError::Unknown(id.to_string()))?;
        Template::parse(text)
    }

    /// Every built-in outline.
    pub fn all_builtin() -> Vec<Template> {
        BUILTIN
            .iter()
            .filter_map(|(_, text)| Template::parse(text).ok())
            .collect()
    }

    /// The draft danvan writes unless asked for another outline (`hien-hanh`).
    pub fn default_outline() -> Template {
        // Built in and read by the tests.
        Template::builtin("hien-hanh").unwrap_or_else(|e| panic!("hien-hanh.toml: {e}"))
    }

    /// An outline from its TOML.
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let file: File = toml::from_str(text).map_err(|e| TemplateError::Toml(e.to_string()))?;
        if !file.part.is_empty() && !file.section.is_empty() {
            return Err(TemplateError::Section {
                at: "the outline".into(),
                message: "has both [[part]] and [[section]]: put every section in a part".into(),
            });
        }
        let parts = if file.part.is_empty() {
            vec![Part {
                heading: None,
                sections: sections(file.section, "section")?,
            }]
        } else {
            file.part
                .into_iter()
                .enumerate()
                .map(|(i, p)| {
                    Ok(Part {
                        heading: Some((p.heading_vi, p.heading_en)),
                        sections: sections(p.section, &format!("part {}, section", i + 1))?,
                    })
                })
                .collect::<Result<_, TemplateError>>()?
        };
        Ok(Template {
            id: file.id,
            name_vi: file.name_vi,
            name_en: file.name_en,
            parts,
        })
    }

    /// Its name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_vi, &self.name_en)
    }
}

fn sections(list: Vec<FileSection>, at: &str) -> Result<Vec<SectionSpec>, TemplateError> {
    list.into_iter()
        .enumerate()
        .map(|(i, s)| section(s, &format!("{at} {}", i + 1)))
        .collect()
}

fn section(s: FileSection, at: &str) -> Result<SectionSpec, TemplateError> {
    let bad = |message: &str| TemplateError::Section {
        at: at.to_string(),
        message: message.to_string(),
    };
    let heading = match (s.heading_vi, s.heading_en) {
        (Some(vi), Some(en)) => Some((vi, en)),
        (None, None) => None,
        _ => return Err(bad("a heading needs both heading_vi and heading_en")),
    };
    let key = || {
        s.key
            .clone()
            .filter(|k| !k.trim().is_empty())
            .ok_or_else(|| bad("needs a `key`"))
    };
    let fill = match s.fill.as_deref() {
        None => Fill::Nothing,
        Some("generated") => Fill::Generated(s.part.ok_or_else(|| {
            bad("a generated section needs `part`: situation, leadership, results, limitations or directions")
        })?),
        Some("written") => Fill::Written {
            key: key()?,
            hint: match (s.hint_vi.clone(), s.hint_en.clone()) {
                (Some(vi), Some(en)) => (vi, en),
                _ => return Err(bad("a written section needs hint_vi and hint_en")),
            },
        },
        Some("units") => Fill::Units { key: key()? },
        Some(other) => {
            return Err(bad(&format!(
                "fill `{other}` is none of generated, written, units"
            )));
        }
    };
    if heading.is_none() && !matches!(fill, Fill::Generated(_)) {
        return Err(bad(
            "needs heading_vi and heading_en (only a generated section brings its own)",
        ));
    }
    if fill == Fill::Nothing && s.sub.is_empty() {
        return Err(bad("says nothing fills it and has no `sub` sections"));
    }
    Ok(SectionSpec {
        heading,
        fill,
        sub: sections(s.sub, &format!("{at}, sub-section"))?,
    })
}

/// "I", "II", … "XX": a section's number.
pub(crate) fn roman(n: usize) -> String {
    const DIGITS: [(usize, &str); 9] = [
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_outline_reads() {
        let all = Template::all_builtin();
        assert_eq!(all.len(), BUILTIN.len());
        for (id, _) in BUILTIN {
            assert_eq!(Template::builtin(id).unwrap().id, id);
        }
        let dinh_ky = Template::builtin("dinh-ky").unwrap();
        assert_eq!(dinh_ky.parts.len(), 2);
        assert_eq!(dinh_ky.parts[0].sections.len(), 5);
    }

    #[test]
    fn a_wrong_outline_says_where() {
        let e = Template::parse(
            "id = \"x\"\nname_vi = \"x\"\nname_en = \"x\"\n[[section]]\nheading_vi = \"A\"\nheading_en = \"A\"\nfill = \"written\"\n",
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "section 1: needs a `key`");
        let e = Template::parse("id = \"x\"\nname_vi = \"x\"\n").unwrap_err();
        assert!(e.to_string().contains("name_en"), "{e}");
        assert!(Template::builtin("khong-co").is_err());
    }

    #[test]
    fn sections_are_numbered_in_roman() {
        let got: Vec<String> = [1, 4, 6, 9, 14].into_iter().map(roman).collect();
        assert_eq!(got, ["I", "IV", "VI", "IX", "XIV"]);
    }
}
