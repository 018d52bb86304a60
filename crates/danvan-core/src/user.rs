//! The people who use the web app: each bound to a board or to one of its units, with a role.
//!
//! A user signs in with a login and a password (the store keeps only the password's hash,
//! made at the edge: this module does no IO and holds no secret). Where a user sits and what
//! their role is decide what they may do:
//!
//! - a **unit's** user (a district, a commune, a bloc, a department) sees and changes only
//!   their own unit's reports and figures, and only sends them;
//! - a **board's** user (a province's Ban, or the central board) works on the board's records:
//!   a clerk (nhập liệu) enters and sends, an approver (duyệt) and a leader (lãnh đạo) also
//!   return, approve and unlock their units' reports, an administrator (quản trị) also adds and
//!   changes the users of the board and of its units.
//!
//! ```
//! use danvan_core::cycle::Action;
//! use danvan_core::id::RecordId;
//! use danvan_core::province::ProvinceRef;
//! use danvan_core::user::{Role, Seat, User};
//!
//! let admin = User::new("tn.quantri", "Nguyễn Văn An", Role::Admin,
//!     Seat::Board { province: Some(ProvinceRef::new("thai-nguyen")) }).unwrap();
//! let clerk = User::new("dinh-hoa.nhaplieu", "Lê Thị Hoa", Role::Clerk,
//!     Seat::Unit { unit: RecordId::new("tn-dinh-hoa").unwrap(),
//!                  province: ProvinceRef::new("thai-nguyen") }).unwrap();
//! assert!(admin.may_manage(&clerk));
//! assert!(!clerk.may_manage(&admin));
//! assert!(clerk.may_take(Action::Send));
//! assert!(!clerk.may_take(Action::Approve));
//! assert_eq!(clerk.role.name_vi(), "nhập liệu");
//! assert!(User::new("Bad Login", "x", Role::Clerk, Seat::Board { province: None }).is_err());
//! ```

use serde::{Deserialize, Serialize};

use crate::cycle::Action;
use crate::id::RecordId;
use crate::province::ProvinceRef;

/// What a user does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Nhập liệu: enters figures and written sections, sends reports.
    Clerk,
    /// Duyệt: also returns, approves and unlocks the reports sent to the board.
    Approver,
    /// Lãnh đạo: a board's leader; approves like an approver and reads everything of the board.
    Leader,
    /// Quản trị: also manages the users of the board and of its units.
    Admin,
}

impl crate::vocabulary::Vocabulary for Role {
    const WHAT: &'static str = "role";
    const ALL: &'static [Self] = &[Role::Clerk, Role::Approver, Role::Leader, Role::Admin];
}

impl Role {
    /// Its Vietnamese name, as a board calls it.
    pub fn name_vi(self) -> &'static str {
        match self {
            Role::Clerk => "nhập liệu",
            Role::Approver => "duyệt",
            Role::Leader => "lãnh đạo",
            Role::Admin => "quản trị",
        }
    }

    /// Its English name.
    pub fn name_en(self) -> &'static str {
        match self {
            Role::Clerk => "data entry",
            Role::Approver => "approver",
            Role::Leader => "leader",
            Role::Admin => "administrator",
        }
    }

    /// Its machine name, as in JSON and on the command line: `clerk`, `approver`, `leader`,
    /// `admin`.
    pub fn code(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Approver => "approver",
            Role::Leader => "leader",
            Role::Admin => "admin",
        }
    }

    /// Reads a role as a person types it: its Vietnamese name with or without diacritics
    /// ("nhap lieu", "Duyệt"), its English name or its machine name.
    pub fn parse(text: &str) -> Option<Role> {
        let key = crate::text::search_key(text);
        <Role as crate::vocabulary::Vocabulary>::ALL
            .iter()
            .copied()
            .find(|r| {
                key == crate::text::search_key(r.name_vi()) || key == r.name_en() || key == r.code()
            })
    }
}

/// Where a user sits: a board (a province's, or the central one) or one of a board's units.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "at")]
pub enum Seat {
    /// A board: a province's (its slug on today's map), or the central board (`None`).
    Board {
        /// The board's province; absent for the central board.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        province: Option<ProvinceRef>,
    },
    /// A registered unit of a province's board.
    Unit {
        /// The unit's record ID.
        unit: RecordId,
        /// The province whose board the unit reports to.
        province: ProvinceRef,
    },
}

impl Seat {
    /// The province whose records the user works on; `None` for the central board.
    pub fn province(&self) -> Option<&ProvinceRef> {
        match self {
            Seat::Board { province } => province.as_ref(),
            Seat::Unit { province, .. } => Some(province),
        }
    }

    /// The unit, for a unit's user.
    pub fn unit(&self) -> Option<&RecordId> {
        match self {
            Seat::Unit { unit, .. } => Some(unit),
            Seat::Board { .. } => None,
        }
    }

    /// The seat in words on `day`: the board's name then ("Ban Tuyên giáo và Dân vận Tỉnh ủy
    /// Thái Nguyên", "Ban Dân vận Trung ương"), or the unit's (`unit_name`, its ID when not
    /// given) and its province.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use danvan_core::board::BoardCalendar;
    /// use danvan_core::province::ProvinceRef;
    /// use danvan_core::user::Seat;
    /// let day = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
    /// let cal = BoardCalendar::builtin();
    /// let tn = Seat::Board { province: Some(ProvinceRef::new("thai-nguyen")) };
    /// assert_eq!(tn.to_vietnamese(&cal, day, None), "Ban Tuyên giáo và Dân vận Tỉnh ủy Thái Nguyên");
    /// let u = Seat::Unit { unit: "tn-phu-dinh".parse().unwrap(), province: ProvinceRef::new("thai-nguyen") };
    /// assert_eq!(u.to_vietnamese(&cal, day, Some("xã Phú Đình")), "xã Phú Đình (Thái Nguyên)");
    /// ```
    pub fn to_vietnamese(
        &self,
        calendar: &crate::board::BoardCalendar,
        day: chrono::NaiveDate,
        unit_name: Option<&str>,
    ) -> String {
        let province = self
            .province()
            .and_then(|p| crate::province::registry().current(p.as_str()));
        match self {
            Seat::Board { .. } => {
                let board = calendar.board_at(province, day);
                match province {
                    Some(p) => format!("{} {}", board.name_vi, p.name),
                    None => board.name_vi.to_string(),
                }
            }
            Seat::Unit { unit, .. } => {
                let name = unit_name.map_or_else(|| unit.to_string(), str::to_string);
                match province {
                    Some(p) => format!("{name} ({})", p.name),
                    None => name,
                }
            }
        }
    }
}

/// A person who signs in to the web app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// What they sign in with: 3–64 lowercase letters, digits, `.`, `-` or `_`.
    pub login: String,
    /// Their name, as shown in the history of what they did: "Lê Thị Hoa".
    pub name: String,
    /// What they do.
    pub role: Role,
    /// Where they sit.
    pub seat: Seat,
    /// The password's hash in PHC form (`$argon2id$…`), made by the store; empty until one is
    /// set.
    #[serde(default)]
    pub password: String,
    /// Whether they may sign in: a user who leaves is disabled, never deleted, so the history
    /// still names them.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// Why a user cannot be made as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserError {
    /// The login has a character or a length it may not have.
    #[error(
        "login `{0}`: use 3 to 64 lowercase letters (a–z), digits, `.`, `-` or `_`, beginning with a letter or digit"
    )]
    Login(String),
    /// The name is empty.
    #[error("the user's name is empty")]
    Name,
}

impl User {
    /// A new, active user without a password yet.
    pub fn new(
        login: impl Into<String>,
        name: impl Into<String>,
        role: Role,
        seat: Seat,
    ) -> Result<User, UserError> {
        let user = User {
            login: login.into(),
            name: crate::text::nfc(name.into().trim()).into_owned(),
            role,
            seat,
            password: String::new(),
            active: true,
        };
        user.check()?;
        Ok(user)
    }

    /// Checks the login and the name (a user read from a store is checked again).
    pub fn check(&self) -> Result<(), UserError> {
        let l = self.login.as_bytes();
        let ok = (3..=64).contains(&l.len())
            && l[0].is_ascii_alphanumeric()
            && l.iter().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_')
            });
        if !ok {
            return Err(UserError::Login(self.login.clone()));
        }
        if self.name.trim().is_empty() {
            return Err(UserError::Name);
        }
        Ok(())
    }

    /// Whether this user may take `action` on a report sent to their board (or, for a unit's
    /// user, on their unit's own report): everyone sends; only a board's approvers, leaders
    /// and administrators return, approve and unlock.
    pub fn may_take(&self, action: Action) -> bool {
        match action {
            Action::Send => true,
            Action::Return | Action::Approve | Action::Unlock => {
                matches!(self.seat, Seat::Board { .. }) && self.role >= Role::Approver
            }
        }
    }

    /// Whether this user may add, change or disable `other`: an administrator of a board
    /// manages the users of that board and of its units; the central board's administrator
    /// manages every user. No one manages themselves out of being an administrator (that is
    /// checked where a change is made: [`User::may_become`]).
    pub fn may_manage(&self, other: &User) -> bool {
        if !self.active || self.role != Role::Admin {
            return false;
        }
        match &self.seat {
            Seat::Unit { .. } => false,
            Seat::Board { province: None } => true,
            Seat::Board { province: Some(p) } => other.seat.province() == Some(p),
        }
    }

    /// Whether `changed` may replace this user's stored record when `by` changes it: `by`
    /// manages both the user as stored and as changed, and an administrator does not take away
    /// their own administration or sign-in.
    pub fn may_become(&self, changed: &User, by: &User) -> bool {
        let own = by.login == self.login;
        by.may_manage(self)
            && by.may_manage(changed)
            && !(own
                && (changed.role != Role::Admin || !changed.active || changed.seat != self.seat))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn board(p: Option<&str>, role: Role, login: &str) -> User {
        User::new(
            login,
            "Người dùng",
            role,
            Seat::Board {
                province: p.map(ProvinceRef::new),
            },
        )
        .unwrap()
    }

    fn unit(p: &str, u: &str, role: Role, login: &str) -> User {
        User::new(
            login,
            "Người dùng",
            role,
            Seat::Unit {
                unit: RecordId::new(u).unwrap(),
                province: ProvinceRef::new(p),
            },
        )
        .unwrap()
    }

    #[test]
    fn administrators_manage_their_board_and_its_units_only() {
        let central = board(None, Role::Admin, "tw.admin");
        let tn = board(Some("thai-nguyen"), Role::Admin, "tn.admin");
        let tn_clerk = unit("thai-nguyen", "tn-dinh-hoa", Role::Clerk, "dh.clerk");
        let ls_clerk = unit("lang-son", "ls-cao-loc", Role::Clerk, "cl.clerk");
        let tn_leader = board(Some("thai-nguyen"), Role::Leader, "tn.lead");
        assert!(central.may_manage(&tn) && central.may_manage(&ls_clerk));
        assert!(tn.may_manage(&tn_clerk) && tn.may_manage(&tn_leader));
        assert!(!tn.may_manage(&ls_clerk) && !tn.may_manage(&central));
        assert!(
            !tn_leader.may_manage(&tn_clerk),
            "a leader is not an administrator"
        );
        let unit_admin = unit("thai-nguyen", "tn-dinh-hoa", Role::Admin, "dh.admin");
        assert!(
            !unit_admin.may_manage(&tn_clerk),
            "units do not manage users"
        );
        let mut gone = tn.clone();
        gone.active = false;
        assert!(!gone.may_manage(&tn_clerk));
        // Moving a clerk to another province is moving them out of reach.
        assert!(!tn_clerk.may_become(&ls_clerk, &tn));
        // An administrator does not demote or disable themselves.
        let mut demoted = tn.clone();
        demoted.role = Role::Clerk;
        assert!(!tn.may_become(&demoted, &tn));
        assert!(tn.may_become(&demoted, &central));
    }

    #[test]
    fn only_a_boards_approvers_return_approve_and_unlock() {
        for &role in <Role as crate::vocabulary::Vocabulary>::ALL {
            let u = unit("thai-nguyen", "tn-dinh-hoa", role, "dh.user");
            assert!(u.may_take(Action::Send));
            assert!(!u.may_take(Action::Approve), "a unit's {role:?}");
        }
        assert!(!board(Some("thai-nguyen"), Role::Clerk, "c.c").may_take(Action::Return));
        for role in [Role::Approver, Role::Leader, Role::Admin] {
            let b = board(Some("thai-nguyen"), role, "b.b");
            for a in [Action::Return, Action::Approve, Action::Unlock] {
                assert!(b.may_take(a));
            }
        }
    }

    #[test]
    fn logins_and_roles_as_typed() {
        for bad in ["ab", "Có-dấu", "a b", ".abc", "ABC", &"x".repeat(65)] {
            let u = User::new(bad, "Tên", Role::Clerk, Seat::Board { province: None });
            assert!(matches!(u, Err(UserError::Login(_))), "{bad}");
        }
        assert_eq!(
            User::new("abc", "  ", Role::Clerk, Seat::Board { province: None }),
            Err(UserError::Name)
        );
        assert_eq!(Role::parse("Nhập liệu"), Some(Role::Clerk));
        assert_eq!(Role::parse("duyet"), Some(Role::Approver));
        assert_eq!(Role::parse("LÃNH ĐẠO"), Some(Role::Leader));
        assert_eq!(Role::parse("admin"), Some(Role::Admin));
        assert_eq!(Role::parse("quan tri"), Some(Role::Admin));
        assert_eq!(Role::parse("boss"), None);
        let u = unit("thai-nguyen", "tn-dinh-hoa", Role::Clerk, "dh.clerk");
        let json = serde_json::to_string(&u).unwrap();
        assert!(
            json.contains(r#""seat":{"at":"unit","unit":"tn-dinh-hoa","province":"thai-nguyen"}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<User>(&json).unwrap(), u);
    }
}
