//! Signing in with an API key and out again. The key is checked by the store exactly as an
//! API request's is (and through the same key cache), then only the session id goes back to
//! the browser, in an HttpOnly, SameSite=Strict cookie scoped to `/ui`. The sign-in form has
//! its own CSRF token (a cookie it must match), since there is no session yet.

use std::sync::Arc;

use axum::Form;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

use super::session::{SESSION_COOKIE, SIGNIN_COOKIE, Sessions, random_token, same_token};
use super::{UiError, Viewer, cookie, layout};
use crate::error::ApiError;
use crate::{AppState, AuthMode};

/// The sign-in form as sent.
#[derive(Debug, Deserialize)]
pub(crate) struct SignInForm {
    #[serde(default)]
    api_key: String,
    #[serde(default)]
    csrf: String,
}

/// A form carrying only its CSRF token.
#[derive(Debug, Deserialize)]
pub(crate) struct TokenForm {
    #[serde(default)]
    pub(crate) csrf: String,
}

/// `Secure` when the browser reached us over HTTPS (through a proxy that says so): on plain
/// HTTP, as on loopback, a Secure cookie would never come back.
fn secure(headers: &HeaderMap) -> &'static str {
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"));
    if https { "; Secure" } else { "" }
}

fn cookie_header(name: &str, value: &str, max_age: u64, headers: &HeaderMap) -> String {
    format!(
        "{name}={value}; Path=/ui; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        secure(headers)
    )
}

fn form_page(token: &str, problem: Option<&str>) -> axum::response::Html<String> {
    layout::public_page(
        "Sign in",
        html! {
            @if let Some(problem) = problem {
                p.flash.refused role="alert" { strong { "Refused: " } (problem) }
            }
            form.signin method="post" action="/ui/signin" {
                input type="hidden" name="csrf" value=(token);
                label for="api_key" { "API key" }
                input #api_key type="password" name="api_key" required autocomplete="off"
                    autofocus spellcheck="false";
                button type="submit" { "Sign in" }
            }
            p.hint {
                "Your key's role decides what you can do: screeners screen, analysts decide alerts, "
                "reviewers approve decisions, admins manage lists and keys. Your key is not stored "
                "in the browser; the session ends when you sign out, after 8 hours, or when the "
                "service restarts."
            }
        },
    )
}

/// `GET /ui/signin`: the form, with a fresh CSRF token in a cookie.
pub(crate) async fn form(headers: HeaderMap) -> Result<Response, UiError> {
    let token = random_token().map_err(ApiError::internal)?;
    let set = cookie_header(SIGNIN_COOKIE, &token, 3600, &headers);
    Ok(([(SET_COOKIE, set)], form_page(&token, None)).into_response())
}

/// `POST /ui/signin`: checks the key as the API does and opens a session.
pub(crate) async fn sign_in(
    State(state): State<AppState>,
    axum::Extension(sessions): axum::Extension<Arc<Sessions>>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, UiError> {
    let expected = cookie(&headers, SIGNIN_COOKIE).unwrap_or("");
    if !same_token(&form.csrf, expected) {
        return Err(UiError::Csrf);
    }
    let key = form.api_key.trim();
    let refuse = |problem: &str| -> Result<Response, UiError> {
        let token = random_token().map_err(ApiError::internal)?;
        let set = cookie_header(SIGNIN_COOKIE, &token, 3600, &headers);
        Ok((
            StatusCode::UNAUTHORIZED,
            [(SET_COOKIE, set)],
            form_page(&token, Some(problem)),
        )
            .into_response())
    };
    let (actor, name, role) = match state.config().auth {
        AuthMode::Disabled => (
            "anonymous".to_owned(),
            "anonymous".to_owned(),
            interdict_store::Role::Admin,
        ),
        AuthMode::Required => {
            if key.is_empty() {
                return refuse("enter an API key");
            }
            match state.store().authenticate(key).await? {
                Some(info) => (info.id, info.name, info.role),
                None => return refuse("unknown or revoked API key"),
            }
        }
    };
    let Some(id) = sessions.open(actor, name, role) else {
        return Err(ApiError::internal("could not open a session").into());
    };
    let lifetime = sessions.lifetime().as_secs();
    let set_session = cookie_header(SESSION_COOKIE, &id, lifetime, &headers);
    let clear_signin = cookie_header(SIGNIN_COOKIE, "", 0, &headers);
    let first = if role >= interdict_store::Role::Analyst {
        "/ui/alerts"
    } else {
        "/ui/screen"
    };
    let mut response = Redirect::to(first).into_response();
    let out = response.headers_mut();
    for value in [set_session, clear_signin] {
        if let Ok(value) = value.parse() {
            out.append(SET_COOKIE, value);
        }
    }
    Ok(response)
}

/// `POST /ui/signout`: ends the session and clears its cookie.
pub(crate) async fn sign_out(
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> Result<Response, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.sessions.close(&viewer.session_id);
    let clear = cookie_header(SESSION_COOKIE, "", 0, &headers);
    Ok(([(SET_COOKIE, clear)], Redirect::to("/ui/signin")).into_response())
}
