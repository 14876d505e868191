//! `/ui/lists`: every list with its versions (published, imported, entity count, active),
//! each version's changes from the one before with the entities' names (and the ownership
//! and control relations it added, removed and changed), and an entity's page with its
//! names, data, provenance and, where the active ownership data names it, its verdict per
//! regime and the paths from its blocked owners; an admin makes a stored version the active
//! one (a rollback, or a version an import kept inactive).

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, Redirect};
use interdict_app::contract::ListVersionJson;
use interdict_store::Role;
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;

use super::alerts::identifier_kind;
use super::layout::{csrf_field, page, short, words};
use super::{UiError, Viewer};
use crate::AppState;
use crate::handlers::lists::activate_version;

/// `GET /ui/lists`.
pub(crate) async fn lists(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Html<String>, UiError> {
    viewer.require(Role::Screener)?;
    let versions = interdict_app::list_history::all_versions(state.store()).await?;
    let mut lists: Vec<(&str, Vec<&ListVersionJson>)> = Vec::new();
    for version in &versions {
        match lists.last_mut() {
            Some((list, group)) if *list == version.list => group.push(version),
            _ => lists.push((&version.list, vec![version])),
        }
    }
    // yente's dataset collections: a block of its own (ui/datasets.rs).
    let collections = super::datasets::section(&state, &viewer).await?;
    let content = html! {
        @if viewer.may(Role::Admin) {
            p { a href="/ui/lists/import" { "Import a list file" } }
        }
        @if lists.is_empty() {
            p { "No list is imported yet: an admin imports one here or with " code { "interdict lists import" } "." }
        }
        @for (list, group) in &lists {
            section aria-labelledby={ "list-" (list) } {
                h2 id={ "list-" (list) } { (list) }
                table.versions {
                    thead { tr {
                        th scope="col" { "Version" } th scope="col" { "Published" } th scope="col" { "Imported" }
                        th scope="col" { "Format" } th scope="col" { "Entities" } th scope="col" { "Active" }
                        th scope="col" { "Changes" }
                        @if viewer.may(Role::Admin) { th scope="col" { "Action" } }
                    } }
                    tbody {
                        @for v in group {
                            tr {
                                td { code { (short(&v.version)) } }
                                td { (v.published.as_deref().unwrap_or("—")) }
                                td { time { (v.imported_at) } }
                                td { (v.format) }
                                td.num { (v.entities) }
                                td { @if v.active { strong { "active" } } @else { "no" } }
                                td { a href={ "/ui/lists/" (v.list) "/versions/" (v.version) } { "Changes in " (short(&v.version)) } }
                                @if viewer.may(Role::Admin) {
                                    td {
                                        @if !v.active {
                                            form method="post" action={ "/ui/lists/" (v.list) "/activate" } {
                                                (csrf_field(&viewer))
                                                input type="hidden" name="version" value=(v.version);
                                                button type="submit" aria-label={ "Activate version " (short(&v.version)) } { "Activate" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    let content = html! { (content) (collections) };
    Ok(page(&viewer, "lists", "Lists", content))
}

/// The activation form as sent.
#[derive(Debug, Deserialize)]
pub(crate) struct ActivateForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /ui/lists/{list}/activate` (admin): makes a stored version the active one (a
/// rollback, or a version an import kept inactive), as `POST /v1/lists/{list}/activate` does.
pub(crate) async fn activate(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(list): Path<String>,
    Form(form): Form<ActivateForm>,
) -> Result<Redirect, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require(Role::Admin)?;
    match activate_version(&state, &list, &form.version, viewer.actor()).await {
        Ok(version) => viewer.flash(
            false,
            format!(
                "{} version {} ({} entities) is active; screening uses it now",
                version.list,
                short(&version.version),
                version.entities
            ),
        ),
        Err(error) if error.status_and_code().0.is_client_error() => {
            viewer.flash(true, error.to_string());
        }
        Err(error) => return Err(error.into()),
    }
    Ok(Redirect::to("/ui/lists"))
}

fn named_rows(rows: &[interdict_app::list_history::NamedEntity]) -> Markup {
    html! {
        ul.entities {
            @for e in rows {
                li { a href={ "/ui/entities/" (e.id) } { (e.name) } " " code { (e.id) } }
            }
        }
    }
}

/// `GET /ui/lists/{list}/versions/{version}`: what the version changed.
pub(crate) async fn version(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((list, version)): Path<(String, String)>,
) -> Result<Html<String>, UiError> {
    viewer.require(Role::Screener)?;
    let changes = interdict_app::list_history::changes(state.store(), &list, &version).await?;
    let v = &changes.version;
    let title = format!("{} version {}", v.list, short(&v.version));
    let content = html! {
        p.meta {
            (v.entities) " entities · published " (v.published.as_deref().unwrap_or("—"))
            " · imported " time { (v.imported_at) }
            @if v.active { " · " strong { "active" } }
        }
        @if let Some(previous) = &changes.previous {
            p {
                "Compared with the version imported before it, "
                code { (short(&previous.version)) }
                " (published " (previous.published.as_deref().unwrap_or("—")) ", " (previous.entities) " entities):"
            }
        } @else {
            p { "The list's first version: every entity is new." }
        }
        dl.diff-counts {
            dt { "Added" } dd #added-count { (changes.added.len()) }
            dt { "Removed" } dd #removed-count { (changes.removed.len()) }
            dt { "Changed" } dd #changed-count { (changes.changed.len()) }
        }
        @if !changes.changed.is_empty() {
            section aria-labelledby="changed-title" {
                h2 #changed-title { "Changed" }
                table.changed {
                    thead { tr { th scope="col" { "Entity" } th scope="col" { "Fields changed" } } }
                    tbody {
                        @for c in &changes.changed {
                            tr {
                                td { a href={ "/ui/entities/" (c.entity.id) } { (c.entity.name) } " " code { (c.entity.id) } }
                                td { (c.fields.iter().map(|f| words(f)).collect::<Vec<_>>().join(", ")) }
                            }
                        }
                    }
                }
            }
        }
        @if !changes.added.is_empty() {
            section aria-labelledby="added-title" {
                h2 #added-title { "Added" }
                (named_rows(&changes.added))
            }
        }
        @if !changes.removed.is_empty() {
            section aria-labelledby="removed-title" {
                h2 #removed-title { "Removed" }
                (named_rows(&changes.removed))
            }
        }
        @if let Some(relations) = &changes.relations {
            (super::ownership::relation_changes(relations))
        }
    };
    Ok(page(&viewer, "lists", &title, content))
}

/// A JSON value as nested definition lists: the entity's remaining data, whatever its shape.
fn value(v: &Value) -> Markup {
    html! {
        @match v {
            Value::Null => "—",
            Value::String(s) => (s),
            Value::Array(items) if items.is_empty() => "—",
            Value::Array(items) => ul { @for item in items { li { (value(item)) } } },
            Value::Object(fields) => dl.nested {
                @for (k, item) in fields { dt { (words(k)) } dd { (value(item)) } }
            },
            other => (other.to_string()),
        }
    }
}

/// The entity's ownership report when the active lists hold ownership data that names it or
/// a list has it, with whether the report has something to say about it (a path, a share,
/// control, a block through owners); `None` otherwise, and without building the graph when
/// no active version holds relations.
async fn ownership_of(
    state: &AppState,
    id: &str,
) -> Result<Option<(interdict_app::ownership::OwnershipJson, bool)>, UiError> {
    // Without ownership data in the active versions there is nothing to say and no graph to
    // build; the snapshot knows, and a store without a loaded index is asked.
    let any_relations = match state.index().snapshot() {
        Some(active) => active.ownership_view.is_some(),
        None => {
            let store = state.store();
            let mut any = false;
            for version in store.active_versions().await?.values() {
                if store
                    .relation_count(&version.list, &version.version)
                    .await?
                    > 0
                {
                    any = true;
                    break;
                }
            }
            any
        }
    };
    if !any_relations {
        return Ok(None);
    }
    let report = match crate::handlers::ownership::report(state, id, None).await {
        Ok(report) => report,
        Err(interdict_app::Error::Store(interdict_store::Error::NotFound { .. })) => {
            return Ok(None);
        }
        Err(error) => return Err(error.into()),
    };
    let regimes = [&report.regimes.ofac, &report.regimes.eu, &report.regimes.uk];
    let says_something = !report.paths.is_empty()
        || !report.blocked_by_ownership().is_empty()
        || regimes
            .iter()
            .any(|r| r.share > 0.0 || r.control == Some(true));
    Ok(Some((report, says_something)))
}

/// `GET /ui/entities/{id}`: the entity's record, and its ownership where the ownership data
/// names it; a party only the ownership data names (an owner of an edges file without a
/// record of its own) has a page with its ownership alone.
pub(crate) async fn entity(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Html<String>, UiError> {
    viewer.require(Role::Screener)?;
    let ownership = ownership_of(&state, &id).await?;
    let (stored, ownership) = match (state.store().entity(&id).await, ownership) {
        (Ok(stored), ownership) => (stored, ownership),
        (Err(interdict_store::Error::NotFound { .. }), Some((report, _))) => {
            let content = html! {
                dl { dt { "Id" } dd { code { (id) } } }
                p { "No list holds a record of this party; the ownership data names it." }
                (super::ownership::section(&report))
            };
            return Ok(page(&viewer, "lists", &id, content));
        }
        (Err(error), _) => return Err(error.into()),
    };
    // On a listed party's page the section shows only when it has more to say than the list.
    let ownership = ownership.and_then(|(report, says_something)| says_something.then_some(report));
    let also_listed = crate::handlers::lists::also_listed(&state, &id).await?;
    let e = &stored.entity;
    let shown = ["id", "schema", "name", "names", "identifiers", "source"];
    let rest = serde_json::to_value(e).unwrap_or(Value::Null);
    let content = html! {
        dl {
            dt { "Id" } dd { code { (e.id.as_str()) } }
            dt { "Kind" } dd { (e.schema.as_str()) }
            dt { "List version" } dd {
                (stored.version.list) " " code { (short(&stored.version.version)) }
                " published " (stored.version.published.map(|p| p.to_string()).unwrap_or_else(|| "—".into()))
                @if stored.version.active { " (active)" } @else { " (not active: the newest version that has it)" }
            }
        }
        section aria-labelledby="names-title" {
            h2 #names-title { "Names" }
            table.names {
                thead { tr { th scope="col" { "Name" } th scope="col" { "Kind" } th scope="col" { "Language" } } }
                tbody {
                    @for n in &e.names {
                        tr { td { (n.full) } td { (serde_json::to_value(n.kind).ok().and_then(|k| k.as_str().map(words)).unwrap_or_default()) } td { (n.lang.as_deref().unwrap_or("")) } }
                    }
                }
            }
        }
        @if !also_listed.is_empty() {
            section aria-labelledby="also-listed-title" {
                h2 #also-listed-title { "Same party on other lists" }
                table.names {
                    thead { tr { th scope="col" { "Listed name" } th scope="col" { "List" } th scope="col" { "Linked by" } } }
                    tbody {
                        @for other in &also_listed {
                            tr {
                                td { a href={ "/ui/entities/" (other.entity_id) } { (other.name) } }
                                td { (other.list) }
                                td { (other.linked_by) }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(report) = &ownership {
            (super::ownership::section(report))
        }
        @if !e.identifiers.is_empty() {
            section aria-labelledby="identifiers-title" {
                h2 #identifiers-title { "Identifiers" }
                ul { @for i in &e.identifiers {
                    li { (identifier_kind(&i.kind)) " " code { (i.value) } @if let Some(c) = i.country { " (" (c) ")" } }
                } }
            }
        }
        section aria-labelledby="data-title" {
            h2 #data-title { "Data" }
            @if let Value::Object(fields) = &rest {
                dl {
                    @for (k, v) in fields.iter().filter(|(k, _)| !shown.contains(&k.as_str())) {
                        dt { (words(k)) } dd { (value(v)) }
                    }
                }
            }
        }
        @if let Some(source) = rest.get("source") {
            section aria-labelledby="provenance-title" {
                h2 #provenance-title { "Provenance" }
                (value(source))
            }
        }
    };
    Ok(page(&viewer, "lists", &e.name, content))
}
