//! The frame of every page: the header with the user and the navigation their role allows,
//! the message left by the previous request, and the hidden CSRF field of every form.

use axum::http::StatusCode;
use axum::response::Html;
use interdict_store::Role;
use maud::{DOCTYPE, Markup, html};

use super::Viewer;

/// The pages of the navigation, with the role each needs.
const NAVIGATION: [(&str, &str, Role); 8] = [
    ("screen", "Screen", Role::Screener),
    ("scan", "Scan text", Role::Screener),
    ("payments", "Payments", Role::Screener),
    ("alerts", "Alerts", Role::Analyst),
    ("portfolio", "Portfolio", Role::Analyst),
    ("lists", "Lists", Role::Screener),
    ("audit", "Audit", Role::Analyst),
    ("keys", "Keys", Role::Admin),
];

/// The document around a page's content.
fn document(title: &str, body: Markup) -> Html<String> {
    Html(
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " · interdict" }
                    link rel="stylesheet" href="/ui/static/ui.css";
                    script src="/ui/static/ui.js" defer {}
                }
                body { (body) }
            }
        }
        .into_string(),
    )
}

/// A page for the signed-in `viewer`; `current` names its navigation entry.
pub(crate) fn page(viewer: &Viewer, current: &str, title: &str, content: Markup) -> Html<String> {
    let body = html! {
        a.skip href="#main" { "Skip to content" }
        header.top {
            span.brand { "interdict" }
            nav aria-label="Main" {
                ul {
                    @for (path, label, needed) in NAVIGATION {
                        @if viewer.may(needed) {
                            li {
                                @if path == current {
                                    a href={ "/ui/" (path) } aria-current="page" { (label) }
                                } @else {
                                    a href={ "/ui/" (path) } { (label) }
                                }
                            }
                        }
                    }
                }
            }
            div.user {
                span { "Signed in as " strong { (viewer.session.name) } " (" (viewer.role().as_str()) ")" }
                form method="post" action="/ui/signout" {
                    (csrf_field(viewer))
                    button type="submit" { "Sign out" }
                }
            }
        }
        main #main {
            h1 { (title) }
            @if let Some(flash) = &viewer.flash {
                @if flash.refused {
                    p.flash.refused role="alert" { strong { "Refused: " } (flash.text) }
                } @else {
                    p.flash.done role="status" { strong { "Done: " } (flash.text) }
                }
            }
            (content)
        }
    };
    document(title, body)
}

/// A page for someone not signed in (the sign-in page).
pub(crate) fn public_page(title: &str, content: Markup) -> Html<String> {
    document(
        title,
        html! {
            header.top { span.brand { "interdict" } }
            main #main { h1 { (title) } (content) }
        },
    )
}

/// The page of a failure.
pub(crate) fn error_page(status: StatusCode, title: &str, message: &str) -> Html<String> {
    public_page(
        title,
        html! {
            p.flash.refused role="alert" {
                strong { (status.as_u16()) " " (status.canonical_reason().unwrap_or("")) ": " }
                (message)
            }
            p { a href="/ui/" { "Back to the workplace" } }
        },
    )
}

/// The hidden field that carries the session's CSRF token; every form has one.
pub(crate) fn csrf_field(viewer: &Viewer) -> Markup {
    html! { input type="hidden" name="csrf" value=(viewer.session.csrf); }
}

/// A score as a percentage with one decimal, e.g. `87.5 %`.
pub(crate) fn percent(score: f64) -> String {
    format!("{:.1} %", score * 100.0)
}

/// The first 12 hex digits of a version id: enough to tell versions apart on screen.
pub(crate) fn short(version: &str) -> &str {
    version.get(..12).unwrap_or(version)
}

/// A status name for people: `false_positive` → `false positive`.
pub(crate) fn words(name: &str) -> String {
    name.replace('_', " ")
}
