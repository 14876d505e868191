//! Dataset collections for yente's API (`interdict_app::datasets`): list (any key), set and
//! remove (admin). A collection is a dataset of `/match/{dataset}`, `/search/{dataset}` and
//! `/catalog` from the next request on.

use axum::Json;
use axum::extract::State;
use interdict_app::datasets::{CollectionJson, SetCollectionRequest};
use interdict_store::Role;

use crate::AppState;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::{ApiError, ErrorBody};
use crate::params::ApiPath;

/// Every collection, by name.
#[utoipa::path(
    get,
    path = "/v1/datasets",
    tag = "yente",
    responses(
        (status = 200, description = "Collections, by name", body = [CollectionJson]),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<CollectionJson>>, ApiError> {
    caller.require(Role::Screener)?;
    Ok(Json(interdict_app::datasets::list(state.store()).await?))
}

/// Creates or replaces a collection (recorded in the audit trail).
#[utoipa::path(
    put,
    path = "/v1/datasets/{name}",
    tag = "yente",
    params(("name" = String, Path, description = "Lowercase letters, digits, '-' and '_'; not `default` nor a list id")),
    request_body = SetCollectionRequest,
    responses(
        (status = 200, description = "The collection as stored", body = CollectionJson),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Not an admin key", body = ErrorBody),
        (status = 422, description = "A bad name or title, no lists, or a list that is not imported (named)", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn set(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(name): ApiPath<String>,
    JsonBody(request): JsonBody<SetCollectionRequest>,
) -> Result<Json<CollectionJson>, ApiError> {
    caller.require(Role::Admin)?;
    Ok(Json(
        interdict_app::datasets::set(state.store(), &name, &request, &caller.actor).await?,
    ))
}

/// Removes a collection (recorded in the audit trail).
#[utoipa::path(
    delete,
    path = "/v1/datasets/{name}",
    tag = "yente",
    params(("name" = String, Path, description = "The collection")),
    responses(
        (status = 200, description = "The collection removed", body = CollectionJson),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Not an admin key", body = ErrorBody),
        (status = 404, description = "No such collection", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(name): ApiPath<String>,
) -> Result<Json<CollectionJson>, ApiError> {
    caller.require(Role::Admin)?;
    Ok(Json(
        interdict_app::datasets::remove(state.store(), &name, &caller.actor).await?,
    ))
}
