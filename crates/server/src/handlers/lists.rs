//! Lists, versions, diffs, entities, and the import of a list file (admin).

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, Request, State};
use interdict_app::lists::{ImportOptions, find_version};
use interdict_model::{ListVersion, PartialDate};
use interdict_sources::{Format, SourceFile};
use interdict_store::Role;
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{DiffJson, ImportOverride, ImportReport, ListJson, ListVersionJson};
use crate::auth::Caller;
use crate::body::{JsonBody, read_body};
use crate::error::{ApiError, ErrorBody};
use crate::params::{ApiPath, query_params};

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
    Ok(find_version(state.store(), field, reference).await?)
}

/// What changed between two versions of a list.
#[utoipa::path(
    get,
    path = "/v1/lists/diff",
    tag = "lists",
    params(DiffParams),
    responses(
        (status = 200, description = "Added, removed and changed entities, and the relations (`relations`) when either version holds ownership or control data", body = DiffJson),
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
    Ok(Json(
        interdict_app::lists::diff_versions(state.store(), &from, &to).await?,
    ))
}

/// One entity with its provenance: from its list's active version, or the newest version
/// that had it.
#[utoipa::path(
    get,
    path = "/v1/entities/{id}",
    tag = "lists",
    params(("id" = String, Path, description = "The entity id, `<list>:<source id>`")),
    responses(
        (status = 200, description = "The entity (its canonical JSON), `list_version`, and `also_listed`: the same party on the other active lists (`AlsoListedJson`)", body = Object),
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
    let also_listed = also_listed(&state, &id).await?;
    let mut value = serde_json::to_value(&stored.entity).map_err(ApiError::internal)?;
    if let Some(object) = value.as_object_mut() {
        object.insert(
            "list_version".into(),
            serde_json::to_value(ListVersionJson::from(&stored.version))
                .map_err(ApiError::internal)?,
        );
        object.insert(
            "also_listed".into(),
            serde_json::to_value(&also_listed).map_err(ApiError::internal)?,
        );
    }
    Ok(Json(value))
}

/// The same party on the other active lists: from the live index's grouping when it is
/// built, else from the store.
pub(crate) async fn also_listed(
    state: &AppState,
    id: &str,
) -> Result<Vec<interdict_app::contract::AlsoListedJson>, ApiError> {
    match state.index().snapshot() {
        Some(snapshot) => Ok(snapshot.also_listed(id)),
        None => Ok(interdict_app::cross_list::also_listed(state.store(), id).await?),
    }
}

/// How to read an uploaded list file.
#[derive(Debug, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub(crate) struct ImportParams {
    /// The format (detected from content when absent): ofac-sdn-csv, ofac-sdn-xml, un-sc-xml,
    /// eu-fsf-xml, uk-ofsi-csv, uk-sanctions-list-xml, uk-sanctions-list-csv, us-csl-csv, ftm.
    pub(crate) format: Option<String>,
    /// The list id (defaults from the format, e.g. `ofac-sdn`).
    #[param(pattern = "^[a-z0-9][a-z0-9._-]{0,63}$")]
    pub(crate) list: Option<String>,
    /// The publication date (YYYY-MM-DD).
    pub(crate) published: Option<String>,
    /// The file's name, recorded as the version's source (default `upload`).
    pub(crate) filename: Option<String>,
    /// Activate the version even if it was published before the active one.
    #[serde(default)]
    pub(crate) activate: bool,
    /// Activate the version even if it removes more than 10% of the active one's entities.
    #[serde(default)]
    pub(crate) allow_shrink: bool,
}

impl ImportParams {
    /// The import options these parameters (the API's query, the UI's form) ask for, for
    /// `actor`; a format or date that does not parse is refused by name.
    pub(crate) fn options(&self, actor: &str) -> Result<ImportOptions, ApiError> {
        let mut options = ImportOptions::new(actor);
        options.format = self
            .format
            .as_deref()
            .map(str::parse::<Format>)
            .transpose()
            .map_err(|e| ApiError::invalid("format", e.to_string()))?;
        options.published = self
            .published
            .as_deref()
            .map(|p| {
                PartialDate::parse(p)
                    .ok_or_else(|| ApiError::invalid("published", format!("{p:?} is not a date")))
            })
            .transpose()?;
        options.list = self.list.clone();
        options.activate = self.activate;
        options.allow_shrink = self.allow_shrink;
        Ok(options)
    }
}

/// Imports a list file exactly as `interdict lists import` does: parsed, refused whole if any
/// record is broken, stored as a new version (or found already stored), activated unless it
/// is older than the active version or removes more than 10% of its entities (then stored
/// only, and `kept_inactive` says why), recorded in the audit trail in the transaction that
/// activates it, and swapped into the index without disturbing screenings in flight.
#[utoipa::path(
    post,
    path = "/v1/lists/import",
    tag = "lists",
    params(ImportParams),
    request_body(content = Vec<u8>, description = "The list file", content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "The version imported, and whether it is active", body = ImportReport),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Not an admin key", body = ErrorBody),
        (status = 409, description = "Another import of this list activated a version meanwhile", body = ErrorBody),
        (status = 413, description = "File too large", body = ErrorBody),
        (status = 422, description = "Unknown format, broken or truncated records, or no entities", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn import(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Query<ImportParams>, QueryRejection>,
    request: Request,
) -> Result<Json<ImportReport>, ApiError> {
    caller.require(Role::Admin)?;
    let params = query_params(params)?;
    let options = params.options(&caller.actor)?;
    let limits = state.config().limits;
    let bytes = read_body(
        request,
        &state,
        limits.max_import_bytes,
        limits.import_timeout,
    )
    .await?;
    let filename = params.filename.unwrap_or_else(|| "upload".into());
    let file = SourceFile {
        name: filename,
        bytes: bytes.to_vec(),
    };
    let mut report = import_file(&state, file, &options).await?;
    report.hint = report
        .overridden_by
        .map(|overridden_by| match overridden_by {
            ImportOverride::AllowShrink => "if the removals are real, import the file again with \
             the query parameter allow_shrink=true"
                .to_owned(),
            ImportOverride::Activate => format!(
                "activate it with POST /v1/lists/{}/activate {{\"version\": \"{}\"}}, or import \
             the file again with the query parameter activate=true",
                report.list, report.version
            ),
        });
    Ok(Json(report))
}

/// Imports one uploaded list file through the application layer and swaps the new active
/// versions into the index: the API's import and the UI's.
pub(crate) async fn import_file(
    state: &AppState,
    file: SourceFile,
    options: &ImportOptions,
) -> Result<ImportReport, ApiError> {
    import_files(state, vec![file], options).await
}

/// [`import_file`] of several files read as one version (the UI's upload of an edges CSV with
/// the companies' records), named by their names joined.
pub(crate) async fn import_files(
    state: &AppState,
    files: Vec<SourceFile>,
    options: &ImportOptions,
) -> Result<ImportReport, ApiError> {
    let label = files
        .iter()
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let mut report = interdict_app::lists::import(state.store(), files, &label, options).await?;
    state.refresh_index().await?;
    report.index_entities = Some(state.index().snapshot().map_or(0, |s| s.entities));
    state.after_import();
    Ok(report)
}

/// Which stored version to make active.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActivateRequest {
    /// The version: id, unique prefix (4+ hex digits) or `list@prefix`.
    #[schema(pattern = "^([^@]+@)?[0-9a-fA-F]{4,}$")]
    version: String,
}

/// Makes a stored version the list's active one (a rollback or a roll forward), on record
/// in the audit trail; the index follows at once.
#[utoipa::path(
    post,
    path = "/v1/lists/{list}/activate",
    tag = "lists",
    params(("list" = String, Path, description = "The list id, e.g. ofac-sdn")),
    request_body = ActivateRequest,
    responses(
        (status = 200, description = "The version, now active", body = ListVersionJson),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Not an admin key", body = ErrorBody),
        (status = 404, description = "No such version", body = ErrorBody),
        (status = 422, description = "Not a version id, ambiguous, or of another list", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn activate(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(list): ApiPath<String>,
    JsonBody(request): JsonBody<ActivateRequest>,
) -> Result<Json<ListVersionJson>, ApiError> {
    caller.require(Role::Admin)?;
    let version = activate_version(&state, &list, &request.version, &caller.actor).await?;
    Ok(Json(ListVersionJson::from(&version)))
}

/// Makes a stored version of `list` the active one through the application layer, on record
/// as `actor`, and swaps it into the index: the API's activation and the UI's.
pub(crate) async fn activate_version(
    state: &AppState,
    list: &str,
    reference: &str,
    actor: &str,
) -> Result<ListVersion, ApiError> {
    let (version, _) =
        interdict_app::lists::activate(state.store(), list, reference, actor).await?;
    state.refresh_index().await?;
    state.after_import();
    Ok(version)
}
