//! API keys (admin): create (the secret is shown once), list, revoke.

use axum::Json;
use axum::extract::State;
use interdict_store::Role;

use crate::AppState;
use crate::api::{CreateKeyRequest, CreatedKeyJson, KeyJson};
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::{ApiError, ErrorBody};
use crate::params::ApiPath;

/// Creates a key; the response is the only place its secret ever appears.
#[utoipa::path(
    post,
    path = "/v1/keys",
    tag = "keys",
    request_body = CreateKeyRequest,
    responses(
        (status = 200, description = "The new key", body = CreatedKeyJson),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Not an admin key", body = ErrorBody),
        (status = 422, description = "Unknown role", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<CreateKeyRequest>,
) -> Result<Json<CreatedKeyJson>, ApiError> {
    caller.require(Role::Admin)?;
    let role: Role = request
        .role
        .parse()
        .map_err(|e: interdict_store::Error| ApiError::invalid("role", e.to_string()))?;
    let created = state
        .store()
        .create_key(role, &request.name, &caller.actor)
        .await?;
    Ok(Json(CreatedKeyJson {
        id: created.info.id,
        key: created.key,
        role: role.as_str().to_owned(),
        name: created.info.name,
    }))
}

/// Every key, without secrets.
#[utoipa::path(
    get,
    path = "/v1/keys",
    tag = "keys",
    responses(
        (status = 200, description = "Keys, oldest first", body = [KeyJson]),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Not an admin key", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<KeyJson>>, ApiError> {
    caller.require(Role::Admin)?;
    let keys = state.store().keys().await?;
    Ok(Json(keys.iter().map(KeyJson::from).collect()))
}

/// Revokes a key for good.
#[utoipa::path(
    delete,
    path = "/v1/keys/{id}",
    tag = "keys",
    params(("id" = String, Path, description = "The key id")),
    responses(
        (status = 200, description = "The revoked key", body = KeyJson),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Not an admin key", body = ErrorBody),
        (status = 404, description = "No such key", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<KeyJson>, ApiError> {
    caller.require(Role::Admin)?;
    let revoked = state.store().revoke_key(&id, &caller.actor).await?;
    state.key_cache().clear();
    Ok(Json(KeyJson::from(&revoked)))
}
