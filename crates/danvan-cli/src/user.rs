//! `danvan user add|list|password|disable|enable`: the web app's users, kept in the store
//! beside the records (`Store::users`). Whoever runs the CLI on the store is its operator: the
//! first administrator of a board is added here, and then adds the board's and its units'
//! users in the web app.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use danvan_core::dataset::AnyRecord;
use danvan_core::id::RecordId;
use danvan_core::province::ProvinceRef;
use danvan_core::record_kind::RecordKind;
use danvan_core::user::{Role, Seat, User};
use danvan_store::Store;
use serde::Serialize;

use crate::Ctx;
use crate::error::{CommandError, ErrorKind};
use crate::lang::t;
use crate::output::{print_json, table};

/// `danvan user …`.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum UserAction {
    /// Add a user of the web app: a login, their name, a role and where they sit — a
    /// province's board (--province), the central board (--central) or a registered unit
    /// (--unit). Asks for the password twice, or reads it from --password-stdin.
    Add {
        /// What they sign in with: lowercase letters, digits, `.`, `-`, `_` ("dinh-hoa.nhaplieu").
        login: String,
        /// Their name, as the history will show it ("Lê Thị Hoa").
        #[arg(long)]
        name: String,
        /// nhập liệu (clerk), duyệt (approver), lãnh đạo (leader) or quản trị (admin).
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The province whose board they sit at (a slug or a name on today's map).
        #[arg(long, value_name = "PROVINCE", conflicts_with_all = ["central", "unit"])]
        province: Option<String>,
        /// They sit at the central board.
        #[arg(long, conflicts_with = "unit")]
        central: bool,
        /// The registered unit they sit at (its ID: `danvan unit list`).
        #[arg(long, value_name = "UNIT")]
        unit: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Every user: login, name, role, seat, whether they may sign in.
    List,
    /// Set a user's password (asked twice, or from --password-stdin): their sessions end.
    Password {
        /// The user's login.
        login: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Stop a user signing in (their sessions end; the history keeps their name).
    Disable {
        /// The user's login.
        login: String,
    },
    /// Let a disabled user sign in again.
    Enable {
        /// The user's login.
        login: String,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| {
        format!("`{text}` is not a role: nhập liệu (clerk), duyệt (approver), lãnh đạo (leader) or quản trị (admin)")
    })
}

fn data(message: impl Into<String>) -> CommandError {
    CommandError::new(ErrorKind::Data, message)
}

pub(crate) fn run(ctx: &Ctx, action: &UserAction) -> Result<ExitCode, CommandError> {
    let store = ctx.open()?;
    match action {
        UserAction::Add {
            login,
            name,
            role,
            province,
            central,
            unit,
            password_stdin,
        } => {
            let seat = seat(
                store.as_ref(),
                province.as_deref(),
                *central,
                unit.as_deref(),
            )?;
            let mut user =
                User::new(login.trim(), name, *role, seat).map_err(|e| data(e.to_string()))?;
            if store.user(&user.login)?.is_some() {
                return Err(data(t!("store-user-exists", login = user.login.as_str()))
                    .with_hint(t!("hint-user-password")));
            }
            set_password(&mut user, *password_stdin)?;
            store.put_user(&user, true)?;
            if !ctx.quiet {
                println!(
                    "{}",
                    t!(
                        "user-added",
                        login = user.login.as_str(),
                        name = user.name.as_str(),
                        role = user.role.name_vi(),
                        seat = seat_words(store.as_ref(), &user.seat)
                    )
                );
            }
        }
        UserAction::List => list(ctx, store.as_ref())?,
        UserAction::Password {
            login,
            password_stdin,
        } => {
            let mut user = stored(store.as_ref(), login)?;
            set_password(&mut user, *password_stdin)?;
            store.put_user(&user, false)?;
            if !ctx.quiet {
                println!(
                    "{}",
                    t!("user-password-changed", login = user.login.as_str())
                );
            }
        }
        UserAction::Disable { login } | UserAction::Enable { login } => {
            let mut user = stored(store.as_ref(), login)?;
            user.active = matches!(action, UserAction::Enable { .. });
            store.put_user(&user, false)?;
            if !ctx.quiet {
                let what = if user.active {
                    "user-enabled"
                } else {
                    "user-disabled"
                };
                println!("{}", t!(what, login = user.login.as_str()));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn stored(store: &dyn Store, login: &str) -> Result<User, CommandError> {
    store.user(login.trim())?.ok_or_else(|| {
        data(t!("store-user-missing", login = login.trim()))
            .with_hint("`danvan user list` shows every user")
    })
}

/// Where `--province`, `--central` or `--unit` seat the user.
fn seat(
    store: &dyn Store,
    province: Option<&str>,
    central: bool,
    unit: Option<&str>,
) -> Result<Seat, CommandError> {
    if let Some(u) = unit {
        let id: RecordId = u
            .trim()
            .parse()
            .map_err(|e| data(format!("--unit {u}: {e}")))?;
        let Some(AnyRecord::Unit(found)) = store.get(RecordKind::Unit, &id)?.map(|r| r.record)
        else {
            return Err(
                data(format!("--unit {u}: there is no registered unit {id}")).with_hint(
                    "`danvan unit list` shows the registry; `danvan unit add` registers one",
                ),
            );
        };
        let Some(p) = found.province else {
            return Err(data(format!(
                "--unit {u}: {} reports to the central board, not a province's: seat its users with --central",
                found.name
            )));
        };
        // The province whose board the unit reports to today (a unit of Bắc Kạn: Thái Nguyên).
        let today = danvan_core::province::registry()
            .current(p.as_str())
            .map_or(p, |c| ProvinceRef::new(c.slug));
        return Ok(Seat::Unit {
            unit: id,
            province: today,
        });
    }
    match (province, central) {
        (Some(p), _) => {
            let slug = danvan_http::config::current_province(p)
                .map_err(|e| data(format!("--province: {e}")))?;
            Ok(Seat::Board {
                province: Some(ProvinceRef::new(slug)),
            })
        }
        (None, true) => Ok(Seat::Board { province: None }),
        (None, false) => Err(data(
            "say where the user sits: --province PROVINCE, --central or --unit UNIT",
        )),
    }
}

/// Reads a new password (twice at a terminal) and sets it.
fn set_password(user: &mut User, from_stdin: bool) -> Result<(), CommandError> {
    let password = if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| data(format!("standard input: {e}")))?;
        line.trim_end_matches(['\n', '\r']).to_string()
    } else if std::io::stdin().is_terminal() {
        dialoguer::Password::new()
            .with_prompt(format!("Password for {}", user.login))
            .with_confirmation("Again", "The two passwords differ")
            .interact()
            .map_err(|e| data(format!("the password was not read: {e}")))?
    } else {
        return Err(data("no terminal to ask the password at")
            .with_hint("pass --password-stdin and write the password on standard input"));
    };
    danvan_store::users::set_password(user, &password).map_err(|e| data(e.to_string()))
}

/// Where the user sits, in words: the board's name today, or the unit's.
fn seat_words(store: &dyn Store, seat: &Seat) -> String {
    let calendar = store
        .board_calendar()
        .unwrap_or_else(|_| danvan_core::board::BoardCalendar::builtin());
    let unit_name = seat.unit().and_then(|id| {
        match store
            .get(RecordKind::Unit, id)
            .ok()
            .flatten()
            .map(|r| r.record)
        {
            Some(AnyRecord::Unit(u)) => Some(u.name.to_string()),
            _ => None,
        }
    });
    seat.to_vietnamese(&calendar, crate::today(), unit_name.as_deref())
}

#[derive(Serialize)]
struct Row<'a> {
    login: &'a str,
    name: &'a str,
    role: Role,
    seat: &'a Seat,
    active: bool,
}

fn list(ctx: &Ctx, store: &dyn Store) -> Result<(), CommandError> {
    let users = store.users()?;
    if ctx.json {
        let rows: Vec<Row<'_>> = users
            .iter()
            .map(|u| Row {
                login: &u.login,
                name: &u.name,
                role: u.role,
                seat: &u.seat,
                active: u.active,
            })
            .collect();
        return print_json(&rows);
    }
    if users.is_empty() {
        println!("{}", t!("users-none"));
        return Ok(());
    }
    let mut rows = vec![[
        t!("users-login").to_uppercase(),
        t!("users-name").to_uppercase(),
        t!("users-role").to_uppercase(),
        t!("users-seat").to_uppercase(),
        t!("users-signs-in").to_uppercase(),
    ]];
    for u in &users {
        rows.push([
            u.login.clone(),
            u.name.clone(),
            u.role.name_vi().into(),
            seat_words(store, &u.seat),
            t!(if u.active {
                "value-yes"
            } else {
                "users-disabled"
            }),
        ]);
    }
    print!("{}", table(&rows));
    Ok(())
}
