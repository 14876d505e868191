//! The Lists page's block of dataset collections (yente's `/match/{dataset}`): a table of
//! the collections, and for admins a form to set one and a button to remove each, through
//! the same use cases as `/v1/datasets` (`interdict_app::datasets`).

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Redirect;
use interdict_app::datasets::SetCollectionRequest;
use interdict_store::Role;
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::csrf_field;
use super::{UiError, Viewer};
use crate::AppState;
use crate::error::ApiError;

/// The collections' section of `/ui/lists`.
pub(crate) async fn section(state: &AppState, viewer: &Viewer) -> Result<Markup, UiError> {
    let collections = interdict_app::datasets::list(state.store()).await?;
    let admin = viewer.may(Role::Admin);
    Ok(html! {
        section aria-labelledby="dataset-collections" {
            h2 id="dataset-collections" { "Dataset collections" }
            p {
                "Datasets of yente's API (" code { "POST /match/{dataset}" } "): "
                code { "default" } " is every active list, each list id is a dataset, and each collection below names a set of lists."
            }
            @if collections.is_empty() {
                p { "No collection yet." }
            } @else {
                table.collections {
                    thead { tr {
                        th scope="col" { "Name" } th scope="col" { "Lists" } th scope="col" { "Title" }
                        th scope="col" { "Updated" }
                        @if admin { th scope="col" { "Action" } }
                    } }
                    tbody {
                        @for c in &collections {
                            tr {
                                td { code { (c.name) } }
                                td { (c.lists.join(", ")) }
                                td { (c.title) }
                                td { time { (c.updated_at) } " by " (c.updated_by) }
                                @if admin {
                                    td {
                                        form method="post" action={ "/ui/datasets/" (c.name) "/remove" } {
                                            (csrf_field(viewer))
                                            button type="submit" aria-label={ "Remove collection " (c.name) } { "Remove" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if admin {
                form method="post" action="/ui/datasets" aria-label="Set a collection" {
                    (csrf_field(viewer))
                    label { "Name " input type="text" name="name" required pattern="[a-z0-9][a-z0-9_-]{0,63}" placeholder="sanctions"; }
                    " "
                    label { "Lists " input type="text" name="lists" required placeholder="ofac-sdn, un-sc"; }
                    " "
                    label { "Title " input type="text" name="title"; }
                    " "
                    button type="submit" { "Save collection" }
                }
            }
        }
    })
}

/// The collection form as sent.
#[derive(Debug, Deserialize)]
pub(crate) struct CollectionForm {
    #[serde(default)]
    name: String,
    /// Comma-separated list ids.
    #[serde(default)]
    lists: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    csrf: String,
}

/// The remove button as sent.
#[derive(Debug, Deserialize)]
pub(crate) struct RemoveForm {
    #[serde(default)]
    csrf: String,
}

/// Flashes a refusal (the caller's mistake) or fails the page (the service's).
fn refused_or_failed(viewer: &Viewer, error: interdict_app::Error) -> Result<(), UiError> {
    let error = ApiError::from(error);
    if error.status_and_code().0.is_client_error() {
        viewer.flash(true, error.to_string());
        Ok(())
    } else {
        Err(error.into())
    }
}

/// `POST /ui/datasets` (admin): creates or replaces a collection.
pub(crate) async fn set(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<CollectionForm>,
) -> Result<Redirect, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require(Role::Admin)?;
    let request = SetCollectionRequest {
        lists: form.lists.split(',').map(str::to_owned).collect(),
        title: Some(form.title),
    };
    match interdict_app::datasets::set(state.store(), &form.name, &request, viewer.actor()).await {
        Ok(set) => viewer.flash(
            false,
            format!(
                "collection {} holds {}; /match/{} answers for it now",
                set.name,
                set.lists.join(", "),
                set.name
            ),
        ),
        Err(error) => refused_or_failed(&viewer, error)?,
    }
    Ok(Redirect::to("/ui/lists"))
}

/// `POST /ui/datasets/{name}/remove` (admin): removes a collection.
pub(crate) async fn remove(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(name): Path<String>,
    Form(form): Form<RemoveForm>,
) -> Result<Redirect, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require(Role::Admin)?;
    match interdict_app::datasets::remove(state.store(), &name, viewer.actor()).await {
        Ok(removed) => viewer.flash(false, format!("collection {} removed", removed.name)),
        Err(error) => refused_or_failed(&viewer, error)?,
    }
    Ok(Redirect::to("/ui/lists"))
}
