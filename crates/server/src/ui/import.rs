//! `/ui/lists/import` (admin): a list file uploaded and imported through the application
//! layer's import use case, as `POST /v1/lists/import` and `interdict lists import` do —
//! refused whole when any record is broken or the file is truncated, stored but kept
//! inactive when older than the active version or when it removes too much of it (unless the
//! admin says so), on record in the audit trail — and the import's report shown. Several
//! files chosen at once are one version, as a directory is for the command line: an
//! ownership edges CSV with the companies' own records (FollowTheMoney).

use axum::extract::{Multipart, State};
use axum::response::Html;
use interdict_app::contract::{ImportOverride, ImportReport};
use interdict_app::lists::ImportOptions;
use interdict_sources::{Format, SourceFile};
use interdict_store::Role;
use maud::{Markup, html};

use super::layout::{csrf_field, page, short};
use super::upload::{self, UploadForm};
use super::{UiError, Viewer};
use crate::AppState;
use crate::error::ApiError;
use crate::handlers::lists::{ImportParams, import_files};

fn form_markup(viewer: &Viewer) -> Markup {
    html! {
        form.import method="post" action="/ui/lists/import" enctype="multipart/form-data" {
            (csrf_field(viewer))
            div.field {
                label for="file" { "List file, or the files of one version (an edges CSV with the companies' records)" }
                input #file type="file" name="file" multiple required;
            }
            div.row {
                div.field {
                    label for="list" { "List id (optional; from the format when empty)" }
                    input #list type="text" name="list" spellcheck="false" placeholder="ofac-sdn";
                }
                div.field {
                    label for="format" { "Format" }
                    select #format name="format" {
                        option value="" selected { "Detect from the content" }
                        @for format in Format::ALL {
                            option value=(format.name()) { (format.name()) }
                        }
                    }
                }
                div.field {
                    label for="published" { "Published (optional)" }
                    input #published type="text" name="published" placeholder="2022-03-24";
                }
            }
            fieldset {
                legend { "Activation" }
                div.field.check {
                    input #allow_shrink type="checkbox" name="allow_shrink" value="1";
                    label for="allow_shrink" { "Activate even if it removes more than 10 % of the active version's entities (the delistings are real)" }
                }
                div.field.check {
                    input #activate type="checkbox" name="activate" value="1";
                    label for="activate" { "Activate even if it was published before the active version" }
                }
            }
            button type="submit" { "Import" }
        }
    }
}

/// `GET /ui/lists/import`: the form.
pub(crate) async fn form(viewer: Viewer) -> Result<Html<String>, UiError> {
    viewer.require(Role::Admin)?;
    Ok(page(
        &viewer,
        "lists",
        "Import a list",
        form_markup(&viewer),
    ))
}

/// The import's options from the form, read by the API's own rules (a format or date that
/// does not parse is refused by name).
fn options(viewer: &Viewer, form: &UploadForm) -> Result<ImportOptions, ApiError> {
    let text = |name: &str| {
        let value = form.field(name).trim();
        (!value.is_empty()).then(|| value.to_owned())
    };
    ImportParams {
        format: text("format"),
        list: text("list"),
        published: text("published"),
        filename: None,
        activate: form.checked("activate"),
        allow_shrink: form.checked("allow_shrink"),
    }
    .options(viewer.actor())
}

/// `POST /ui/lists/import`: imports the file and shows the report, or why it was refused.
pub(crate) async fn import(
    State(state): State<AppState>,
    viewer: Viewer,
    multipart: Multipart,
) -> Result<Html<String>, UiError> {
    let mut form = upload::read(multipart, "file", state.config().limits.max_import_bytes).await?;
    viewer.check_csrf(form.field("csrf"))?;
    viewer.require(Role::Admin)?;
    let files: Vec<SourceFile> = std::mem::take(&mut form.files)
        .into_iter()
        .map(|file| SourceFile {
            name: file.name,
            bytes: file.bytes,
        })
        .collect();
    let outcome = match options(&viewer, &form) {
        Err(problem) => Err(problem),
        Ok(_) if files.is_empty() => Err(ApiError::invalid("file", "choose a list file to import")),
        Ok(options) => import_files(&state, files, &options).await,
    };
    let outcome = match outcome {
        Ok(report) => Ok(report),
        Err(error) if error.status_and_code().0.is_client_error() => Err(error.to_string()),
        Err(error) => return Err(error.into()),
    };
    let content = html! {
        @match &outcome {
            Ok(report) => (report_markup(report)),
            Err(problem) => div.flash.refused role="alert" {
                strong { "Refused: " } span.message { (problem) }
            },
        }
        (form_markup(&viewer))
    };
    Ok(page(&viewer, "lists", "Import a list", content))
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

/// How to activate a version the import kept inactive, in the form's words.
fn kept_inactive_hint(report: &ImportReport) -> &'static str {
    match report.overridden_by {
        Some(ImportOverride::AllowShrink) => {
            "If the removals are real, tick “Activate even if it removes more than 10 % of the \
             active version's entities” under “Activation” and import the file again, or press \
             “Activate” beside the version on the Lists page."
        }
        Some(ImportOverride::Activate) | None => {
            "To activate it, press “Activate” beside the version on the Lists page, or tick \
             “Activate even if it was published before the active version” under “Activation” \
             and import the file again."
        }
    }
}

fn report_markup(report: &ImportReport) -> Markup {
    html! {
        section.results.report aria-labelledby="report-title" {
            h2 #report-title { "Imported " (report.list) " version " code { (short(&report.version)) } }
            @if let Some(reason) = &report.kept_inactive {
                p.flash.refused role="alert" {
                    strong { "Stored, not activated: " } (reason)
                }
                p.hint #kept-inactive-hint { (kept_inactive_hint(report)) }
            } @else if report.unchanged {
                p.flash.done role="status" { strong { "Already stored: " } "this version was imported before; nothing changed." }
            } @else if report.activated {
                p.flash.done role="status" { strong { "Activated: " } "screening now uses this version." }
            }
            dl {
                dt { "List" } dd { (report.list) }
                dt { "Version" } dd #import-version { code { (report.version) } }
                dt { "Format" } dd { (report.format) }
                dt { "Entities" } dd #import-entities { (report.entities) }
                @if let Some(relations) = report.relations {
                    dt { "Relations" } dd #import-relations { (relations) }
                }
                dt { "Names" } dd { (report.names) }
                dt { "Published" } dd { (report.published.as_deref().unwrap_or("—")) }
                dt { "Encoding" } dd { (report.encoding.as_deref().unwrap_or("—")) }
                dt { "Already stored" } dd { (yes_no(report.unchanged)) }
                dt { "Activated now" } dd { (yes_no(report.activated)) }
                dt { "Active" } dd #import-active { (yes_no(report.active)) }
                dt { "Active before" } dd { @if let Some(previous) = &report.previous_active { code { (short(previous)) } } @else { "—" } }
                dt { "Entities screened" } dd { (report.index_entities.map_or_else(|| "—".to_owned(), |n| n.to_string())) }
                dt { "Audit record" } dd { a href={ "/ui/audit?id=" (report.audit_id) } { code { (report.audit_id) } } }
            }
            p { a href={ "/ui/lists/" (report.list) "/versions/" (report.version) } { "Changes in " (short(&report.version)) } " · " a href="/ui/lists" { "All lists" } }
        }
    }
}
