//! The users page (`/app/users`): a board's administrator lists the users of the board and of
//! its units, adds one (a login, a name, a role, a seat at the board or at one of its
//! registered units, a first password), and changes one (role, a new password, disabled or
//! not). Who may manage whom is `danvan_core::user::User::may_manage`; the store keeps the
//! users (`Store::put_user`), the password only as its Argon2id hash.

// Handlers answer a page either way: the error is the refusal page itself.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use danvan_core::dataset::AnyRecord;
use danvan_core::province::ProvinceRef;
use danvan_core::record_kind::RecordKind;
use danvan_core::user::{Role, Seat, User};
use danvan_core::vocabulary::Vocabulary;
use minijinja::context;
use serde::Serialize;

use super::Signed;
use super::page::{csrf_ok, csrf_refused, encode, forbidden, kinds_nav, me, see_other};
use super::session::{Lang, Session};
use crate::AppState;

/// One user as the page lists them.
#[derive(Serialize)]
struct UserView {
    login: String,
    name: String,
    role: String,
    role_code: &'static str,
    seat: String,
    active: bool,
}

/// A seat the administrator may give: its value in the form and its name.
#[derive(Serialize)]
struct SeatOption {
    value: String,
    name: String,
}

/// The signed-in administrator, or the refusal.
fn admin<'a>(s: &AppState, session: &'a Session) -> Result<&'a User, Response> {
    match &session.user {
        Some(u) if u.role == Role::Admin => Ok(u),
        _ => Err(forbidden(
            s,
            session,
            &super::i18n::word("users-admins-only", session.lang),
        )),
    }
}

/// The administrator who posted form `f` with this session's CSRF token, or the refusal.
fn posted_by_admin(
    s: &AppState,
    session: &Session,
    f: &HashMap<String, String>,
) -> Result<User, Response> {
    if !csrf_ok(session, f) {
        return Err(csrf_refused(s, session));
    }
    admin(s, session).cloned()
}

fn role_name(role: Role, lang: Lang) -> String {
    match lang {
        Lang::Vi => role.name_vi().to_string(),
        Lang::En => role.name_en().to_string(),
    }
}

/// The seats `admin` may give: their board, and each of its units registered and existing
/// today; for the central board's administrator, the central board and every province's.
fn seats(
    store: &dyn danvan_store::Store,
    admin: &User,
    today: chrono::NaiveDate,
) -> Result<Vec<SeatOption>, danvan_store::StoreError> {
    let calendar = store.board_calendar()?;
    let mut out = vec![SeatOption {
        value: "board".into(),
        name: admin.seat.to_vietnamese(&calendar, today, None),
    }];
    match admin.seat.province() {
        None => {
            for p in danvan_core::province::registry().valid_at(today) {
                let seat = Seat::Board {
                    province: Some(ProvinceRef::new(p.slug)),
                };
                out.push(SeatOption {
                    value: format!("board:{}", p.slug),
                    name: seat.to_vietnamese(&calendar, today, None),
                });
            }
        }
        Some(p) => {
            let q = danvan_store::Query {
                kinds: vec![RecordKind::Unit],
                province: Some(danvan_store::ProvinceFilter {
                    province: p.as_str().to_string(),
                    map: danvan_store::ProvinceMap::Current,
                }),
                ..danvan_store::Query::default()
            };
            // Units of today first; those that have ended (a district's reports of its last
            // periods may still be owed) after them, with their last day.
            let (mut now, mut ended) = (Vec::new(), Vec::new());
            store.visit(&q, &mut |r| {
                if let danvan_core::dataset::RecordRef::Unit(u) = r {
                    match u.until.filter(|d| *d < today) {
                        None => now.push((u.id.to_string(), u.name.to_string())),
                        Some(d) => ended.push((
                            u.id.to_string(),
                            format!("{} (đến {})", u.name, d.format("%d/%m/%Y")),
                        )),
                    }
                }
            })?;
            danvan_core::text::sort_by_key(&mut now, |u| &u.1);
            danvan_core::text::sort_by_key(&mut ended, |u| &u.1);
            out.extend(now.into_iter().chain(ended).map(|(id, name)| SeatOption {
                value: format!("unit:{id}"),
                name,
            }));
        }
    }
    Ok(out)
}

/// The seat a form's `seat` value names, for `admin`.
fn seat_of(
    store: &dyn danvan_store::Store,
    admin: &User,
    value: &str,
) -> Result<Option<Seat>, danvan_store::StoreError> {
    if value == "board" {
        return Ok(Some(admin.seat.clone()));
    }
    if let Some(slug) = value.strip_prefix("board:") {
        return Ok(danvan_core::province::registry()
            .current(slug)
            .map(|p| Seat::Board {
                province: Some(ProvinceRef::new(p.slug)),
            }));
    }
    let Some(id) = value.strip_prefix("unit:").and_then(|u| u.parse().ok()) else {
        return Ok(None);
    };
    Ok(match store.get(RecordKind::Unit, &id)?.map(|r| r.record) {
        Some(AnyRecord::Unit(u)) => u.province.map(|p| {
            let current = danvan_core::province::registry()
                .current(p.as_str())
                .map_or(p.clone(), |c| ProvinceRef::new(c.slug));
            Seat::Unit {
                unit: id,
                province: current,
            }
        }),
        _ => None,
    })
}

/// `GET /app/users`.
pub(crate) async fn page(
    State(s): State<AppState>,
    Signed(session): Signed,
    axum::extract::Query(q): axum::extract::Query<HashMap<String, String>>,
) -> Response {
    let notice = match (q.get("added"), q.get("changed"), session.lang) {
        (Some(l), _, Lang::Vi) => Some(format!("Đã thêm người dùng {l}.")),
        (Some(l), _, Lang::En) => Some(format!("User {l} added.")),
        (None, Some(l), Lang::Vi) => Some(format!("Đã lưu thay đổi của người dùng {l}.")),
        (None, Some(l), Lang::En) => Some(format!("User {l} changed.")),
        _ => None,
    };
    let mut typed = HashMap::new();
    if let Some(n) = notice {
        typed.insert("notice".to_string(), n);
    }
    show(&s, &session, StatusCode::OK, None, &typed).await
}

/// The page, with `problem` (in the interface's language) above the add form and what was
/// typed in it kept.
async fn show(
    s: &AppState,
    session: &Session,
    status: StatusCode,
    problem: Option<String>,
    typed: &HashMap<String, String>,
) -> Response {
    let admin = match admin(s, session) {
        Ok(a) => a.clone(),
        Err(r) => return r,
    };
    let today = s.today();
    let lang = session.lang;
    let looked = s
        .blocking(move |st| {
            let calendar = st.board_calendar()?;
            let seats = seats(st, &admin, today)?;
            let mut views = Vec::new();
            for u in st.users()?.into_iter().filter(|u| admin.may_manage(u)) {
                let unit_name = match u.seat.unit() {
                    Some(id) => match st.get(RecordKind::Unit, id)?.map(|r| r.record) {
                        Some(AnyRecord::Unit(x)) => Some(x.name.to_string()),
                        _ => None,
                    },
                    None => None,
                };
                views.push(UserView {
                    seat: u.seat.to_vietnamese(&calendar, today, unit_name.as_deref()),
                    role: role_name(u.role, lang),
                    role_code: u.role.code(),
                    login: u.login,
                    name: u.name,
                    active: u.active,
                });
            }
            Ok((views, seats))
        })
        .await;
    let (users, seats) = match looked {
        Ok(x) => x,
        Err(f) => return super::page::failed(s, session, &f),
    };
    let roles: Vec<(&str, String)> = Role::ALL
        .iter()
        .map(|r| (r.code(), role_name(*r, lang)))
        .collect();
    s.web.page(
        status,
        "users.html",
        context! {
            lang => lang.tag(),
            me => me(session),
            nav => kinds_nav(lang),
            users,
            seats,
            roles,
            problem,
            typed,
            min => danvan_store::users::MIN_PASSWORD_CHARS,
        },
    )
}

/// Why a password was not taken, in the interface's language.
fn password_problem(e: &danvan_store::users::PasswordError, lang: Lang) -> String {
    use danvan_store::users::{MIN_PASSWORD_CHARS, PasswordError};
    match (e, lang) {
        (PasswordError::TooShort(n), Lang::Vi) => {
            format!("Mật khẩu có {n} ký tự; cần ít nhất {MIN_PASSWORD_CHARS} ký tự.")
        }
        (PasswordError::IsLogin, Lang::Vi) => {
            "Mật khẩu không được trùng với tên đăng nhập.".to_string()
        }
        (e, Lang::En) => format!("{e}."),
    }
}

/// Why a user cannot be made as typed, in the interface's language.
fn user_problem(e: &danvan_core::user::UserError, lang: Lang) -> String {
    use danvan_core::user::UserError;
    match (e, lang) {
        (UserError::Login(l), Lang::Vi) => format!(
            "Tên đăng nhập “{l}” không hợp lệ: dùng 3–64 ký tự gồm chữ thường không dấu (a–z), chữ số, dấu chấm, gạch nối hoặc gạch dưới, bắt đầu bằng chữ hoặc số."
        ),
        (UserError::Name, Lang::Vi) => "Chưa nhập họ và tên.".to_string(),
        (e, Lang::En) => format!("{e}."),
    }
}

/// `POST /app/users`: adds a user.
pub(crate) async fn add(
    State(s): State<AppState>,
    Signed(session): Signed,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let admin = match posted_by_admin(&s, &session, &f) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let lang = session.lang;
    let field = |k: &str| f.get(k).map_or("", |v| v.trim()).to_string();
    let (login, name, seat_value) = (field("login").to_lowercase(), field("name"), field("seat"));
    let role = Role::parse(&field("role"));
    let password = f.get("password").cloned().unwrap_or_default();
    let done = s
        .writing(move |st| {
            let refuse = |m: String| Ok(Err(m));
            let Some(role) = role else {
                return refuse(super::i18n::word("user-role-missing", lang));
            };
            let Some(seat) = seat_of(st, &admin, &seat_value)? else {
                return refuse(super::i18n::word("user-seat-missing", lang));
            };
            let mut user = match User::new(&login, &name, role, seat) {
                Ok(u) => u,
                Err(e) => return refuse(user_problem(&e, lang)),
            };
            if !admin.may_manage(&user) {
                return refuse(super::i18n::word("users-seat-outside", lang));
            }
            if let Err(e) = danvan_store::users::set_password(&mut user, &password) {
                return refuse(password_problem(&e, lang));
            }
            match st.put_user(&user, true) {
                Ok(()) => Ok(Ok(user.login)),
                Err(danvan_store::StoreError::User {
                    problem: danvan_store::UserProblem::Exists,
                    login,
                }) => refuse(danvan_i18n::tr!(
                    lang,
                    "users-login-taken",
                    login = login.as_str()
                )),
                Err(e) => Err(e),
            }
        })
        .await;
    match done {
        Ok(Ok(login)) => {
            tracing::info!(by = %session.caller.name, user = %login, "user added");
            see_other(&format!("/app/users?added={}", encode(&login)))
        }
        Ok(Err(problem)) => {
            let mut typed = f.clone();
            typed.remove("password");
            show(
                &s,
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(problem),
                &typed,
            )
            .await
        }
        Err(f) => super::page::failed(&s, &session, &f),
    }
}

/// `POST /app/users/{login}`: changes a user's role, password or whether they may sign in.
pub(crate) async fn change(
    State(s): State<AppState>,
    Signed(session): Signed,
    Path(login): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let admin = match posted_by_admin(&s, &session, &f) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let lang = session.lang;
    let role = f.get("role").and_then(|r| Role::parse(r));
    let active = f.get("active").map(|a| a == "yes");
    let password = f.get("password").filter(|p| !p.is_empty()).cloned();
    let done = s
        .writing(move |st| {
            let Some(stored) = st.user(&login)? else {
                return Ok(Err(danvan_i18n::tr!(
                    lang,
                    "users-no-user",
                    login = login.as_str()
                )));
            };
            let mut changed = stored.clone();
            if let Some(r) = role {
                changed.role = r;
            }
            if let Some(a) = active {
                changed.active = a;
            }
            if let Some(p) = &password
                && let Err(e) = danvan_store::users::set_password(&mut changed, p)
            {
                return Ok(Err(password_problem(&e, lang)));
            }
            if !stored.may_become(&changed, &admin) {
                return Ok(Err(super::i18n::word("users-may-not-change", lang)));
            }
            st.put_user(&changed, false)?;
            Ok(Ok(changed.login))
        })
        .await;
    match done {
        Ok(Ok(login)) => {
            tracing::info!(by = %session.caller.name, user = %login, "user changed");
            see_other(&format!("/app/users?changed={}", encode(&login)))
        }
        Ok(Err(problem)) => {
            show(
                &s,
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(problem),
                &HashMap::new(),
            )
            .await
        }
        Err(f) => super::page::failed(&s, &session, &f),
    }
}
