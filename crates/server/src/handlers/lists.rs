//! Lists, versions, diffs, entities, and the import of a list file (admin).

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, Query, Request, State};
use interdict_model::{ListVersion, PartialDate};
use interdict_sources::{Format, SourceFile};
use interdict_store::{AuditKind, ImportOutcome, NewAuditRecord, PreparedList, Role};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ChangedJson, DiffCounts, DiffJson, ImportResponse, ListJson, ListVersionJson};
use crate::auth::Caller;
use crate::body::read_error;
use crate::error::{ApiError, ErrorBody};
use crate::params::{ApiPath, query_params};

/// The audit record of an import by `actor` from `source` (a file name): which version of
/// which list, and whether it changed what is active. The API and the CLI record the same.
pub fn import_record(actor: &str, outcome: &ImportOutcome, source: &str) -> NewAuditRecord {
    let version = &outcome.version;
    NewAuditRecord {
        kind: AuditKind::Import,
        actor: actor.to_owned(),
        payload: json!({
            "list": version.list,
            "version": version.version,
            "format": version.format,
            "entities": version.entities,
            "names": version.names,
            "published": version.published.map(|d| d.to_string()),
            "source": source,
            "unchanged": outcome.unchanged,
            "activated": outcome.activated,
        }),
    }
}

/// How many per-record issues an import error lists before summarising the rest.
const ISSUES_SHOWN: usize = 20;

/// Every list with its active version and all versions.
#[utoipa::path(
    get,
    path = "/v1/lists",
    tag = "lists",
    responses(
        (status = 200, description = "Lists, by id", body = [ListJson]),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn lists(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<ListJson>>, ApiError> {
    caller.require(Role::Screener)?;
    let mut lists: Vec<ListJson> = Vec::new();
    for version in state.store().versions().await? {
        let json = ListVersionJson::from(&version);
        match lists.last_mut() {
            Some(list) if list.list == version.list => list.versions.push(json),
            _ => lists.push(ListJson {
                list: version.list.clone(),
                active_version: None,
                entities: None,
                versions: vec![json],
            }),
        }
        if version.active
            && let Some(list) = lists.last_mut()
        {
            list.active_version = Some(version.version.clone());
            list.entities = Some(version.entities);
        }
    }
    Ok(Json(lists))
}

/// Every version of one list, newest first.
#[utoipa::path(
    get,
    path = "/v1/lists/{list}/versions",
    tag = "lists",
    params(("list" = String, Path, description = "The list id, e.g. ofac-sdn")),
    responses(
        (status = 200, description = "Versions, newest first", body = [ListVersionJson]),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 404, description = "No such list", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn versions(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(list): ApiPath<String>,
) -> Result<Json<Vec<ListVersionJson>>, ApiError> {
    caller.require(Role::Screener)?;
    let versions = state.store().list_versions(&list).await?;
    if versions.is_empty() {
        return Err(ApiError::NotFound(format!("list {list}")));
    }
    Ok(Json(versions.iter().map(ListVersionJson::from).collect()))
}

/// The two versions of a diff.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct DiffParams {
    /// The older version: id, unique prefix (4+ hex digits) or `list@prefix`.
    #[param(pattern = "^([^@]+@)?[0-9a-fA-F]{4,}$")]
    from: String,
    /// The newer version, likewise.
    #[param(pattern = "^([^@]+@)?[0-9a-fA-F]{4,}$")]
    to: String,
}

async fn find(state: &AppState, field: &str, reference: &str) -> Result<ListVersion, ApiError> {
    state
        .store()
        .find_version(reference)
        .await
        .map_err(|e| match e {
            e @ (interdict_store::Error::Invalid(_) | interdict_store::Error::Ambiguous { .. }) => {
                ApiError::invalid(field, e.to_string())
            }
            other => other.into(),
        })
}

/// What changed between two versions of a list.
#[utoipa::path(
    get,
    path = "/v1/lists/diff",
    tag = "lists",
    params(DiffParams),
    responses(
        (status = 200, description = "Added, removed and changed entities", body = DiffJson),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 404, description = "No such version", body = ErrorBody),
        (status = 422, description = "Missing, not a version id, ambiguous, or of another list", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn diff(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Query<DiffParams>, QueryRejection>,
) -> Result<Json<DiffJson>, ApiError> {
    caller.require(Role::Screener)?;
    let params = query_params(params)?;
    let from = find(&state, "from", &params.from).await?;
    let to = find(&state, "to", &params.to).await?;
    if from.list != to.list {
        return Err(ApiError::invalid(
            "to",
            format!(
                "{} and {} are versions of different lists",
                from.list, to.list
            ),
        ));
    }
    let diff = state.store().diff(&from, &to).await?;
    Ok(Json(DiffJson {
        from: format!("{}@{}", from.list, from.version),
        to: format!("{}@{}", to.list, to.version),
        counts: DiffCounts {
            added: diff.added.len(),
            removed: diff.removed.len(),
            changed: diff.changed.len(),
        },
        added: diff.added,
        removed: diff.removed,
        changed: diff
            .changed
            .into_iter()
            .map(|c| ChangedJson {
                id: c.id,
                fields: c.fields,
            })
            .collect(),
    }))
}

/// One entity with its provenance: from its list's active version, or the newest version
/// that had it.
#[utoipa::path(
    get,
    path = "/v1/entities/{id}",
    tag = "lists",
    params(("id" = String, Path, description = "The entity id, `<list>:<source id>`")),
    responses(
        (status = 200, description = "The entity (its canonical JSON) and `list_version`", body = Object),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 404, description = "No such entity", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn entity(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require(Role::Screener)?;
    let stored = state.store().entity(&id).await?;
    let mut value = serde_json::to_value(&stored.entity).map_err(ApiError::internal)?;
    if let Some(object) = value.as_object_mut() {
        object.insert(
            "list_version".into(),
            serde_json::to_value(ListVersionJson::from(&stored.version))
                .map_err(ApiError::internal)?,
        );
    }
    Ok(Json(value))
}

/// How to read an uploaded list file.
#[derive(Debug, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub(crate) struct ImportParams {
    /// The format (detected from content when absent): ofac-sdn-csv, ofac-sdn-xml, un-sc-xml,
    /// eu-fsf-xml, uk-ofsi-csv, us-csl-csv, ftm.
    format: Option<String>,
    /// The list id (defaults from the format, e.g. `ofac-sdn`).
    list: Option<String>,
    /// The publication date (YYYY-MM-DD).
    published: Option<String>,
    /// The file's name, recorded as the version's source (default `upload`).
    filename: Option<String>,
}

/// Imports a list file exactly as `interdict lists import` does: parsed, refused whole if any
/// record is broken, stored as a new version (or re-activated if the content is known), and
/// swapped into the index without disturbing screenings in flight.
#[utoipa::path(
    post,
    path = "/v1/lists/import",
    tag = "lists",
    params(ImportParams),
    request_body(content = Vec<u8>, description = "The list file", content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "The version now active", body = ImportResponse),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Not an admin key", body = ErrorBody),
        (status = 413, description = "File too large", body = ErrorBody),
        (status = 422, description = "Unknown format, broken records, or no entities", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn import(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Query<ImportParams>, QueryRejection>,
    request: Request,
) -> Result<Json<ImportResponse>, ApiError> {
    caller.require(Role::Admin)?;
    let params = query_params(params)?;
    let format = params
        .format
        .as_deref()
        .map(str::parse::<Format>)
        .transpose()
        .map_err(|e| ApiError::invalid("format", e.to_string()))?;
    let published = params
        .published
        .as_deref()
        .map(|p| {
            PartialDate::parse(p)
                .ok_or_else(|| ApiError::invalid("published", format!("{p:?} is not a date")))
        })
        .transpose()?;
    let bytes = Bytes::from_request(request, &state)
        .await
        .map_err(|e| read_error(e, state.config().limits.max_import_bytes))?;
    let filename = params.filename.unwrap_or_else(|| "upload".into());
    let file = SourceFile {
        name: filename.clone(),
        bytes: bytes.to_vec(),
    };
    let list = params.list;
    let parsed = tokio::task::spawn_blocking(move || {
        interdict_sources::parse(&[file], format, list.as_deref())
    })
    .await?
    .map_err(|e| ApiError::InvalidList(e.to_string()))?;
    if !parsed.issues.is_empty() {
        let mut message = format!(
            "{} record(s) could not be read; nothing was imported:",
            parsed.issues.len()
        );
        for issue in parsed.issues.iter().take(ISSUES_SHOWN) {
            message.push_str(&format!("\n  {issue}"));
        }
        if parsed.issues.len() > ISSUES_SHOWN {
            message.push_str(&format!(
                "\n  ... and {} more",
                parsed.issues.len() - ISSUES_SHOWN
            ));
        }
        return Err(ApiError::InvalidList(message));
    }
    if parsed.entities.is_empty() {
        return Err(ApiError::InvalidList(format!(
            "no entities found in this {} list; nothing was imported",
            parsed.format
        )));
    }
    // Serialising and hashing every entity is CPU work: off the async workers, as parsing.
    let prepared = tokio::task::spawn_blocking(move || {
        PreparedList::new(&parsed.list, parsed.format.name(), &parsed.entities)
    })
    .await??;
    let outcome = state
        .store()
        .import_prepared(&prepared, published, std::slice::from_ref(&filename))
        .await?;
    let version = &outcome.version;
    let record = state
        .store()
        .append_audit(import_record(&caller.actor, &outcome, &filename))
        .await?;
    state.refresh_index().await?;
    let index_entities = state.index().snapshot().map_or(0, |s| s.entities);
    Ok(Json(ImportResponse {
        list: version.list.clone(),
        version: version.version.clone(),
        format: version.format.clone(),
        entities: version.entities,
        names: version.names,
        unchanged: outcome.unchanged,
        activated: outcome.activated,
        audit_id: record.id,
        index_entities,
    }))
}
