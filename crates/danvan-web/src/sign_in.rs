//! Signing in (with a login and password, or a token), signing out, and the language switch.

// A handler's early answer is a whole page (`Response`), returned once per request.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::Signed;
use super::page::*;
use super::session::{self, Lang};
use crate::AppState;
use danvan_http::service::Failure;

/// Where to go back to: a path of this app only (never another site).
pub(super) fn local(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/app") && !n.starts_with("//") && !n.contains('\\') => {
            n.to_string()
        }
        _ => "/app".to_string(),
    }
}

#[derive(Deserialize)]
pub(crate) struct NextParams {
    next: Option<String>,
}

pub(crate) async fn sign_in_page(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(p): Query<NextParams>,
) -> Response {
    match super::signed_in(&s, &headers).await {
        Ok(Some(_)) => return see_other(&local(p.next.as_deref())),
        Ok(None) => {}
        Err(r) => return r,
    }
    sign_in_form(&s, &headers, p.next.as_deref(), None)
}

/// The sign-in form with a fresh CSRF token in a short-lived cookie (there is no session yet
/// to hold it: the form's copy must match the cookie's).
pub(super) fn sign_in_form(
    s: &AppState,
    headers: &HeaderMap,
    next: Option<&str>,
    error: Option<&str>,
) -> Response {
    sign_in_form_with(s, headers, next, error, "")
}

/// [`sign_in_form`], with the login typed before kept in its field.
pub(super) fn sign_in_form_with(
    s: &AppState,
    headers: &HeaderMap,
    next: Option<&str>,
    error: Option<&str>,
    login: &str,
) -> Response {
    let token = session::random_token();
    let lang = if session::cookie(headers, "danvan_lang").as_deref() == Some("en") {
        "en"
    } else {
        "vi"
    };
    let status = if error.is_some() {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    let mut r = s.web.page(
        status,
        "sign_in.html",
        context! { lang, csrf => &token, next => local(next), error, login },
    );
    r.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie(
            session::SIGN_IN_COOKIE,
            &token,
            Some(1800),
            session::over_tls(headers),
        ),
    );
    r
}

pub(crate) async fn sign_in(
    State(s): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let next = form.get("next").map(String::as_str);
    let cookie = session::cookie(&headers, session::SIGN_IN_COOKIE).unwrap_or_default();
    let sent = form.get("csrf").cloned().unwrap_or_default();
    if cookie.is_empty() || !bool::from(cookie.as_bytes().ct_eq(sent.as_bytes())) {
        let mut r = sign_in_form(&s, &headers, next, Some("sign-in-form-expired"));
        *r.status_mut() = StatusCode::FORBIDDEN;
        return r;
    }
    let lang = if session::cookie(&headers, "danvan_lang").as_deref() == Some("en") {
        Lang::En
    } else {
        Lang::Vi
    };
    // A token typed in its field signs in with it; otherwise the login and password do.
    let login = form.get("login").map_or("", |l| l.trim());
    let token = form.get("token").map_or("", |t| t.trim());
    if token.is_empty() {
        let password = form.get("password").cloned().unwrap_or_default();
        return match user_signing_in(&s, login, password).await {
            Ok(Some(user)) => {
                tracing::info!(user = %user.login, role = user.role.code(), "web sign-in");
                signed_in_as(&headers, next, s.web.sessions.start_user(&user, lang))
            }
            Ok(None) => {
                tracing::info!(login, "web sign-in refused: wrong login or password");
                sign_in_form_with(
                    &s,
                    &headers,
                    next,
                    Some("the-login-or-the-password-is"),
                    login,
                )
            }
            Err(r) => r,
        };
    }
    let Some((caller, scope)) = s.auth().identify(token) else {
        tracing::info!("web sign-in refused: unknown token");
        return sign_in_form(&s, &headers, next, Some("that-token-is-not-known-to"));
    };
    tracing::info!(token = %caller.name, scope = scope.as_str(), "web sign-in");
    signed_in_as(&headers, next, s.web.sessions.start(token, lang))
}

/// The user of `login` when `password` is theirs (and they are active). The password is
/// checked off the request threads (Argon2 takes tens of milliseconds by design), and an
/// unknown login costs the same as a wrong password, so timing tells nothing.
pub(super) async fn user_signing_in(
    s: &AppState,
    login: &str,
    password: String,
) -> Result<Option<danvan_core::user::User>, Response> {
    let l = login.to_lowercase();
    let user = s
        .blocking(move |st| st.user(&l))
        .await
        .map_err(|f| super::failure::plain(&f))?;
    let checked = tokio::task::spawn_blocking(move || match user {
        Some(u) => danvan_store::users::verify(&u, &password).then_some(u),
        None => {
            danvan_store::users::verify(nobody(), &password);
            None
        }
    })
    .await;
    checked.map_err(|e| super::failure::plain(&Failure::Internal(e.to_string())))
}

/// A user no password matches, whose hash is checked for an unknown login.
pub(super) fn nobody() -> &'static danvan_core::user::User {
    static NOBODY: std::sync::OnceLock<danvan_core::user::User> = std::sync::OnceLock::new();
    NOBODY.get_or_init(|| {
        let mut u = danvan_core::user::User::new(
            "nobody",
            "nobody",
            danvan_core::user::Role::Clerk,
            danvan_core::user::Seat::Board { province: None },
        )
        .expect("a valid login and name");
        let _ = danvan_store::users::set_password(&mut u, &session::random_token());
        u
    })
}

/// The answer to a sign-in that succeeded: the session's cookie, the sign-in form's cookie
/// cleared, and on to where the user was going.
pub(super) fn signed_in_as(headers: &HeaderMap, next: Option<&str>, id: String) -> Response {
    let secure = session::over_tls(headers);
    let mut r = see_other(&local(next));
    let h = r.headers_mut();
    h.append(
        header::SET_COOKIE,
        session::set_cookie(session::COOKIE, &id, None, secure),
    );
    h.append(
        header::SET_COOKIE,
        session::set_cookie(session::SIGN_IN_COOKIE, "", Some(0), secure),
    );
    r
}

pub(crate) async fn sign_out(
    State(s): State<AppState>,
    headers: HeaderMap,
    Signed(session): Signed,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if !csrf_ok(&session, &form) {
        return csrf_refused(&s, &session);
    }
    s.web.sessions.end(&session);
    let (id, until) = (session.id().to_string(), session.until());
    if let Err(f) = s.writing(move |st| st.end_session(&id, until)).await {
        // Not ended for the other servers: say so rather than pretend.
        return super::page::failed(&s, &session, &f);
    }
    let mut r = see_other("/app/sign-in");
    r.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie(session::COOKIE, "", Some(0), session::over_tls(&headers)),
    );
    r
}

#[derive(Deserialize)]
pub(crate) struct LangParams {
    to: String,
    back: Option<String>,
}

/// Switches the interface's language (kept in the session, and in a cookie for the sign-in
/// page).
pub(crate) async fn switch_lang(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(p): Query<LangParams>,
) -> Response {
    let lang = if p.to == "en" { Lang::En } else { Lang::Vi };
    let mut r = see_other(&local(p.back.as_deref()));
    if let Ok(Some(session)) = super::signed_in(&s, &headers).await {
        let value = s.web.sessions.with_lang(&session, lang);
        r.headers_mut().append(
            header::SET_COOKIE,
            session::set_cookie(session::COOKIE, &value, None, session::over_tls(&headers)),
        );
    }
    if let Ok(v) = HeaderValue::from_str(&format!(
        "danvan_lang={}; Path=/app; SameSite=Strict; Max-Age=31536000",
        lang.tag()
    )) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}
