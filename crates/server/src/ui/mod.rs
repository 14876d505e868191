//! The analyst's workplace: a web UI under `/ui/`, served by the same binary as the API and
//! working offline. Pages are rendered on the server (maud); the only script is this crate's
//! own small `ui.js` (keyboard navigation of the alert queue), served from `/ui/static/`.
//! Every response carries a Content-Security-Policy that allows no inline script or style and
//! no other origin.
//!
//! A user signs in with an API key ([`session`]); the key's role decides what is shown and
//! allowed, exactly as for the API, and the key's id is who acts in the audit trail and the
//! alert history. Every use case goes through the application layer (`interdict_app`) or the
//! store, as the API handlers do: a screening made here is recorded like one made over HTTP,
//! and the four-eyes rule is the store's. Every form carries the session's CSRF token; a POST
//! without it is refused (403) before anything is done.

mod alerts;
mod audit;
mod datasets;
mod explain;
mod import;
mod keys;
mod layout;
mod lists;
mod ownership;
mod payments;
mod portfolio;
mod scan;
mod screen;
pub(crate) mod session;
mod signin;
mod upload;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Request};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE, REFERRER_POLICY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use interdict_store::Role;

use crate::AppState;
use crate::error::ApiError;
use session::{Flash, SESSION_COOKIE, Session, Sessions};

/// What the pages may load: only this origin's script and style files, no inline code.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// How long a session lasts.
const SESSION_LIFETIME: Duration = Duration::from_secs(8 * 60 * 60);

/// The UI's routes, with their own session map.
pub(crate) fn router(state: &AppState) -> Router<AppState> {
    let sessions = Arc::new(Sessions::new(
        SESSION_LIFETIME,
        state.config().key_cache_ttl,
    ));
    let limits = state.config().limits;
    // An upload has the API import's time limit, every other page the API's request limit;
    // past it the page says so (the API's JSON error would mean nothing in a browser).
    let import = Router::new()
        .route(
            "/ui/lists/import",
            get(import::form)
                .post(import::import)
                .layer(DefaultBodyLimit::max(limits.max_import_bytes)),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            limits.import_timeout,
            time_limit,
        ));
    Router::new()
        .route("/ui", get(home))
        .route("/ui/", get(home))
        .route("/ui/signin", get(signin::form).post(signin::sign_in))
        .route("/ui/signout", post(signin::sign_out))
        .route("/ui/screen", get(screen::form).post(screen::screen))
        .route(
            "/ui/scan",
            get(scan::form)
                .post(scan::scan)
                .layer(DefaultBodyLimit::max(limits.max_body_bytes)),
        )
        .route(
            "/ui/payments",
            get(payments::form)
                .post(payments::screen)
                .layer(DefaultBodyLimit::max(limits.max_body_bytes)),
        )
        .route("/ui/alerts", get(alerts::queue))
        .route("/ui/alerts/bulk", post(alerts::bulk))
        .route("/ui/alerts/{id}", get(alerts::alert))
        .route("/ui/alerts/{id}/decision", post(alerts::decide))
        .route("/ui/alerts/{id}/approve", post(alerts::approve))
        .route("/ui/alerts/{id}/reject", post(alerts::reject))
        .route("/ui/lists", get(lists::lists))
        .route("/ui/lists/{list}/activate", post(lists::activate))
        .route("/ui/datasets", post(datasets::set))
        .route("/ui/datasets/{name}/remove", post(datasets::remove))
        .route("/ui/lists/{list}/versions/{version}", get(lists::version))
        .route("/ui/entities/{id}", get(lists::entity))
        .route("/ui/portfolio", get(portfolio::portfolio))
        .route("/ui/monitor/run", post(portfolio::run))
        .route("/ui/audit", get(audit::audit))
        .route("/ui/audit/verify", post(audit::verify))
        .route("/ui/audit/{id}/replay", post(audit::replay))
        .route("/ui/keys", get(keys::keys).post(keys::create))
        .route("/ui/keys/{id}/revoke", post(keys::revoke))
        .route("/ui/static/ui.css", get(stylesheet))
        .route("/ui/static/ui.js", get(script))
        .route_layer(axum::middleware::from_fn_with_state(
            limits.request_timeout,
            time_limit,
        ))
        .merge(import)
        .layer(axum::middleware::from_fn(security_headers))
        .layer(axum::Extension(sessions))
}

/// Stops a page that takes longer than its route's limit and answers an error page.
async fn time_limit(
    axum::extract::State(limit): axum::extract::State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => UiError::Timeout(limit).into_response(),
    }
}

/// `/` and `/ui/`: the first page the user's role has.
async fn home() -> Redirect {
    Redirect::to("/ui/screen")
}

/// Headers every UI response carries: the CSP, no framing, no sniffing, no referrer, and no
/// caching of pages (they show customer data).
async fn security_headers(request: Request, next: Next) -> Response {
    let is_static = request.uri().path().starts_with("/ui/static/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    let cache = if is_static {
        "public, max-age=3600"
    } else {
        "no-store"
    };
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../assets/ui.css"),
    )
}

async fn script() -> impl IntoResponse {
    (
        [(CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../../assets/ui.js"),
    )
}

/// The value of cookie `name` in the request, if sent.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// The signed-in user of a page request; without a live session the request is sent to the
/// sign-in page.
#[derive(Debug, Clone)]
pub(crate) struct Viewer {
    session_id: String,
    session: Session,
    /// The message left by the previous request, shown once.
    flash: Option<Flash>,
    sessions: Arc<Sessions>,
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let to_signin = || Redirect::to("/ui/signin").into_response();
        let sessions = parts
            .extensions
            .get::<Arc<Sessions>>()
            .cloned()
            .ok_or_else(|| UiError::from(ApiError::internal("no session map")).into_response())?;
        let id = cookie(&parts.headers, SESSION_COOKIE).ok_or_else(to_signin)?;
        let (session, flash) = sessions
            .find(state.store(), id)
            .await
            .ok_or_else(to_signin)?;
        state
            .rate_limiter()
            .admit(&session.actor)
            .map_err(|e| UiError::from(e).into_response())?;
        Ok(Viewer {
            session_id: id.to_owned(),
            session,
            flash,
            sessions,
        })
    }
}

impl Viewer {
    /// Who acts: the key id.
    pub(crate) fn actor(&self) -> &str {
        &self.session.actor
    }

    /// The role of the signed-in key.
    pub(crate) fn role(&self) -> Role {
        self.session.role
    }

    /// Whether the user's role is at least `role`.
    pub(crate) fn may(&self, role: Role) -> bool {
        self.session.role >= role
    }

    /// Fails with 403 unless the user's role is at least `needed`.
    pub(crate) fn require(&self, needed: Role) -> Result<(), UiError> {
        if self.may(needed) {
            Ok(())
        } else {
            Err(UiError::Api(ApiError::Forbidden {
                needed,
                held: self.session.role,
            }))
        }
    }

    /// Fails with 403 unless `token` is this session's CSRF token.
    pub(crate) fn check_csrf(&self, token: &str) -> Result<(), UiError> {
        if session::same_token(token, &self.session.csrf) {
            Ok(())
        } else {
            Err(UiError::Csrf)
        }
    }

    /// Leaves a message for the next page (after a redirect).
    pub(crate) fn flash(&self, refused: bool, text: impl Into<String>) {
        self.sessions.flash(&self.session_id, refused, text);
    }
}

/// Why a page could not be shown or a form not carried out.
#[derive(Debug)]
pub(crate) enum UiError {
    /// What the API would answer, with its status.
    Api(ApiError),
    /// A form without this session's CSRF token.
    Csrf,
    /// The page took longer than its time limit and was stopped.
    Timeout(Duration),
}

impl From<ApiError> for UiError {
    fn from(error: ApiError) -> Self {
        UiError::Api(error)
    }
}

impl From<interdict_app::Error> for UiError {
    fn from(error: interdict_app::Error) -> Self {
        UiError::Api(error.into())
    }
}

impl From<interdict_store::Error> for UiError {
    fn from(error: interdict_store::Error) -> Self {
        UiError::Api(error.into())
    }
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        let (status, title, message) = match &self {
            UiError::Csrf => (
                StatusCode::FORBIDDEN,
                "Refused",
                "This form was not sent from a page of this session (its CSRF token is missing \
                 or wrong). Reload the page and try again."
                    .to_owned(),
            ),
            UiError::Timeout(limit) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Took too long",
                format!(
                    "This took longer than the {} s allowed and was stopped. Try again later, \
                     or with less at once (a smaller file, fewer rows).",
                    limit.as_secs_f64()
                ),
            ),
            UiError::Api(error) => {
                let (status, _) = error.status_and_code();
                if status.is_server_error() {
                    tracing::error!(%error, "a UI page failed");
                }
                let title = match status {
                    StatusCode::FORBIDDEN => "Not allowed",
                    StatusCode::NOT_FOUND => "Not found",
                    s if s.is_client_error() => "Refused",
                    _ => "Something went wrong",
                };
                let message = if status.is_server_error() {
                    "The service could not do this; the error is in its log.".to_owned()
                } else {
                    error.to_string()
                };
                (status, title, message)
            }
        };
        (status, layout::error_page(status, title, &message)).into_response()
    }
}
