//! `/ui/keys` (admin): every API key with its role and state, a new key created (its secret
//! shown once, on the page that answers the creation, and never again), and a key revoked.
//! Both go through the store's key functions, which record them in the audit trail with the
//! signed-in admin's key as actor, as `POST /v1/keys` and `DELETE /v1/keys/{id}` do.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, Redirect};
use interdict_store::{KeyInfo, Role};
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{csrf_field, page};
use super::signin::TokenForm;
use super::{UiError, Viewer};
use crate::AppState;

/// The roles a key may have, least first.
const ROLES: [Role; 4] = [Role::Screener, Role::Analyst, Role::Reviewer, Role::Admin];

/// The creation form as sent.
#[derive(Debug, Deserialize)]
pub(crate) struct CreateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    csrf: String,
}

/// A key just created: its secret, shown this once.
struct Created {
    name: String,
    role: Role,
    secret: String,
}

async fn keys_page(
    state: &AppState,
    viewer: &Viewer,
    created: Option<Created>,
    problem: Option<String>,
) -> Result<Html<String>, UiError> {
    let keys = state.store().keys().await?;
    let content = html! {
        @if let Some(created) = &created {
            section.created aria-labelledby="created-title" {
                h2 #created-title { "New key “" (created.name) "” (" (created.role.as_str()) ")" }
                p.flash.done role="status" {
                    strong { "Copy this key now: " } "it is shown only this once and is not stored in a form anyone can read back."
                }
                div.field {
                    label for="new-key" { "New API key" }
                    input #new-key type="text" readonly value=(created.secret) size="60" spellcheck="false";
                }
            }
        }
        @if let Some(problem) = &problem {
            p.flash.refused role="alert" { strong { "Refused: " } (problem) }
        }
        section aria-labelledby="keys-title" {
            h2 #keys-title { (keys.len()) " key" @if keys.len() != 1 { "s" } }
            table #keys {
                thead { tr {
                    th scope="col" { "Name" } th scope="col" { "Id" } th scope="col" { "Role" }
                    th scope="col" { "Created" } th scope="col" { "State" } th scope="col" { "Action" }
                } }
                tbody { @for key in &keys { (key_row(viewer, key)) } }
            }
        }
        section aria-labelledby="create-title" {
            h2 #create-title { "Create a key" }
            form.create-key method="post" action="/ui/keys" {
                (csrf_field(viewer))
                div.field {
                    label for="key-name" { "Key name" }
                    input #key-name type="text" name="name" required placeholder="payments-service";
                }
                div.field {
                    label for="role" { "Role" }
                    select #role name="role" {
                        @for role in ROLES {
                            option value=(role.as_str()) selected[role == Role::Screener] { (role.as_str()) }
                        }
                    }
                }
                button type="submit" { "Create key" }
            }
        }
    };
    Ok(page(viewer, "keys", "API keys", content))
}

fn key_row(viewer: &Viewer, key: &KeyInfo) -> Markup {
    html! {
        tr {
            td { (key.name) @if key.id == viewer.actor() { " (you)" } }
            td { code { (key.id) } }
            td { (key.role.as_str()) }
            td { time { (key.created_at) } }
            td {
                @if let Some(revoked) = &key.revoked_at { "revoked " time { (revoked) } }
                @else { "active" }
            }
            td {
                @if key.revoked_at.is_none() {
                    form method="post" action={ "/ui/keys/" (key.id) "/revoke" } {
                        (csrf_field(viewer))
                        button type="submit" aria-label={ "Revoke key " (key.name) } { "Revoke" }
                    }
                }
            }
        }
    }
}

/// `GET /ui/keys`.
pub(crate) async fn keys(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Html<String>, UiError> {
    viewer.require(Role::Admin)?;
    keys_page(&state, &viewer, None, None).await
}

/// `POST /ui/keys`: creates a key and shows its secret once.
pub(crate) async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<CreateForm>,
) -> Result<Html<String>, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require(Role::Admin)?;
    let created = match form.role.parse::<Role>() {
        Ok(role) => match state
            .store()
            .create_key(role, &form.name, viewer.actor())
            .await
        {
            Ok(new) => Ok(Created {
                name: new.info.name,
                role,
                secret: new.key,
            }),
            Err(error) if error.is_user_error() => Err(error.to_string()),
            Err(error) => return Err(error.into()),
        },
        Err(error) => Err(format!("role: {error}")),
    };
    match created {
        Ok(created) => keys_page(&state, &viewer, Some(created), None).await,
        Err(problem) => keys_page(&state, &viewer, None, Some(problem)).await,
    }
}

/// `POST /ui/keys/{id}/revoke`: revokes the key for good; its sessions end with it.
pub(crate) async fn revoke(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<TokenForm>,
) -> Result<Redirect, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require(Role::Admin)?;
    let revoked = state.store().revoke_key(&id, viewer.actor()).await?;
    // The API's key cache must not let the revoked key in for its time to live.
    state.key_cache().clear();
    viewer.flash(
        false,
        format!(
            "key “{}” ({}) is revoked; it no longer signs in or calls the API",
            revoked.name, revoked.id
        ),
    );
    Ok(Redirect::to("/ui/keys"))
}
