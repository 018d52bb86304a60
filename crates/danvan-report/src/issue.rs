//! A report as it is issued: its number, who issues it — the board ("Số 45-BC/BDVTU",
//! signed "TRƯỞNG BAN") or the province's Standing Committee ("Số 12-BC/TU", "T/M BAN
//! THƯỜNG VỤ") — who signs it, and where it is sent ("Nơi nhận: - Ban Dân vận Trung ương (để
//! báo cáo); …; - Lưu VP"). A draft leaves the number blank and the signature to be written.

use crate::data::ReportData;
use crate::doc::{Document, Lang};
use crate::glossary;

/// Who issues a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Issuer {
    /// The board (Ban Dân vận, Ban Tuyên giáo và Dân vận): `-BC/BDVTU`, signed by its head.
    #[default]
    Board,
    /// The province's Party committee, through its Standing Committee: `-BC/TU`, signed on
    /// its behalf ("T/M BAN THƯỜNG VỤ").
    StandingCommittee,
}

/// One recipient: "Ban Dân vận Trung ương", and why it is sent ("để báo cáo").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// Who.
    pub name: String,
    /// Why, in brackets after the name: "để báo cáo", "để biết".
    pub purpose: Option<String>,
}

impl Recipient {
    /// "Ban Dân vận Trung ương (để báo cáo)" read from how an office types it: the purpose
    /// in brackets at the end, if any.
    pub fn parse(text: &str) -> Recipient {
        let text = text
            .trim()
            .trim_start_matches('-')
            .trim()
            .trim_end_matches([',', ';']);
        match text.strip_suffix(')').and_then(|t| t.rsplit_once('(')) {
            Some((name, purpose)) if !name.trim().is_empty() => Recipient {
                name: name.trim().to_string(),
                purpose: Some(purpose.trim().to_string()),
            },
            _ => Recipient {
                name: text.to_string(),
                purpose: None,
            },
        }
    }
}

/// What issuing a report adds to its draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The number in the issuer's register: 45 in "Số 45-BC/BDVTU".
    pub number: u32,
    /// Who issues it.
    pub issuer: Issuer,
    /// Who signs: "Hà Thị Bích Hạnh".
    pub signer: String,
    /// The signer's title: "TRƯỞNG BAN" (the default for the board), "PHÓ TRƯỞNG BAN",
    /// "PHÓ BÍ THƯ" (needed for the Standing Committee).
    pub signer_title: Option<String>,
    /// Where it is sent, before the office's own copy ("Lưu VP"); none: the draft's.
    pub recipients: Vec<Recipient>,
}

/// Why a report cannot be issued as asked.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IssueError {
    /// A national report is the central board's own.
    #[error(
        "a national report is issued by the central board; the Standing Committee issues a province's"
    )]
    NationalByCommittee,
    /// The Standing Committee's signer has a title of their own.
    #[error("who signs for the Standing Committee needs their title (e.g. \"PHÓ BÍ THƯ\")")]
    CommitteeTitle,
    /// A report is issued by a person.
    #[error("the signer's name is empty")]
    NoSigner,
}

impl Issue {
    /// Checks what can be checked before writing anything.
    pub fn check(&self, data: &ReportData) -> Result<(), IssueError> {
        if self.signer.trim().is_empty() {
            return Err(IssueError::NoSigner);
        }
        if self.issuer == Issuer::StandingCommittee {
            if data.province.is_none() {
                return Err(IssueError::NationalByCommittee);
            }
            if self
                .signer_title
                .as_deref()
                .is_none_or(|t| t.trim().is_empty())
            {
                return Err(IssueError::CommitteeTitle);
            }
        }
        Ok(())
    }

    /// `doc` as issued: its number, its issuing body (the committee's header for the Standing
    /// Committee), its signature block and its recipients.
    pub fn apply(&self, doc: &mut Document, data: &ReportData) -> Result<(), IssueError> {
        self.check(data)?;
        let lang = doc.lang;
        let symbol = match self.issuer {
            Issuer::Board => data.board.symbol.as_str(),
            Issuer::StandingCommittee => "TU",
        };
        doc.header.number = format!("{} {}-BC/{symbol}", lang.pick("Số", "No."), self.number);
        if self.issuer == Issuer::StandingCommittee
            && let Some(p) = data
                .province_slug
                .as_deref()
                .and_then(|s| danvan_core::province::registry().latest(s))
        {
            let (committee, party_body) = match p.kind {
                danvan_core::province::ProvinceKind::City => ("Thành ủy", "ĐẢNG BỘ THÀNH PHỐ"),
                danvan_core::province::ProvinceKind::Province => ("Tỉnh ủy", "ĐẢNG BỘ TỈNH"),
            };
            match lang {
                Lang::Vi => {
                    doc.header.superior = format!("{party_body} {}", p.name.to_uppercase());
                    doc.header.issuer = committee.to_uppercase();
                }
                Lang::En => {
                    doc.header.superior = String::new();
                    doc.header.issuer =
                        format!("{} {}", p.name_en(), glossary::en(committee)).to_uppercase();
                }
            }
        }
        let title = self
            .signer_title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .map(|t| t.to_uppercase());
        doc.closing.signer = match (self.issuer, lang) {
            (Issuer::Board, Lang::Vi) => vec![
                title.unwrap_or_else(|| "TRƯỞNG BAN".to_string()),
                String::new(),
                self.signer.clone(),
            ],
            (Issuer::Board, Lang::En) => vec![
                title.unwrap_or_else(|| glossary::en("Trưởng Ban").to_uppercase()),
                String::new(),
                self.signer.clone(),
            ],
            (Issuer::StandingCommittee, Lang::Vi) => vec![
                "T/M BAN THƯỜNG VỤ".to_string(),
                title.unwrap_or_default(),
                String::new(),
                self.signer.clone(),
            ],
            (Issuer::StandingCommittee, Lang::En) => vec![
                glossary::en("T/M Ban Thường vụ").to_uppercase(),
                title.unwrap_or_default(),
                String::new(),
                self.signer.clone(),
            ],
        };
        if !self.recipients.is_empty() {
            let mut lines: Vec<String> = self
                .recipients
                .iter()
                .map(|r| match &r.purpose {
                    Some(p) => format!("- {} ({p}),", r.name),
                    None => format!("- {},", r.name),
                })
                .collect();
            lines.push(match lang {
                Lang::Vi => "- Lưu Văn phòng.".to_string(),
                Lang::En => format!("- {}.", glossary::en("Lưu Văn phòng")),
            });
            doc.closing.recipients = lines;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_are_read_as_offices_type_them() {
        assert_eq!(
            Recipient::parse("- Ban Dân vận Trung ương (để báo cáo),"),
            Recipient {
                name: "Ban Dân vận Trung ương".into(),
                purpose: Some("để báo cáo".into())
            }
        );
        assert_eq!(Recipient::parse("Các huyện ủy, thành ủy").purpose, None);
    }
}
