//! The OpenAPI 3 document of the API, generated from the handlers' annotations and the API
//! types, served at `/openapi.json` and rendered by Swagger UI at `/docs`.

use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::api::{
    AlertDetailJson, AlertEventJson, AlertJson, AlertSubjectJson, AlsoListedJson, AuditBreakJson,
    AuditExportJson, AuditRecordJson, BatchResponse, ChangedJson, CreateKeyRequest, CreatedKeyJson,
    CustomerJson, DecisionJson, DiffCounts, DiffJson, HealthJson, ImportReport, KeyJson, ListJson,
    ListVersionJson, MatchJson, MentionJson, MonitorReport, PaymentAlertSubjectJson,
    PaymentHitJson, PaymentScreeningJson, ProposalJson, QueryJson, ReplayResponse, ScanRequest,
    ScanResponse, ScreenRequest, ScreenResponse, VerifyResponse,
};
use crate::error::{ErrorBody, ErrorDetail};
use crate::handlers;
use crate::handlers::monitoring;
use interdict_app::yente;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "interdict",
        description = "Sanctions screening with explained matches, versioned lists and a \
            hash-chained audit trail.\n\n\
            Authenticate with `Authorization: Bearer KEY` or `X-API-Key: KEY`. Roles, each \
            allowed what the previous ones are: screener (screen, read lists and entities), \
            analyst (read audit records; maintain the portfolio, read alerts, propose \
            decisions), reviewer (verify the chain, replay screenings, export records; approve or reject \
            another key's decision), admin (import lists, manage keys).\n\n\
            Errors are `{\"error\": {\"code\", \"message\"}}`: 400 malformed_json or \
            malformed_request (a request head that is not HTTP/1.1), \
            401 unauthenticated, 403 forbidden, 404 not_found, 405 method_not_allowed, \
            408 request_timeout, 409 conflict, 413 payload_too_large, 414 uri_too_long, \
            422 invalid_field or invalid_list, 429 rate_limited, 431 headers_too_large, 503 not_ready, timeout or too_many_connections, 500 internal."
    ),
    paths(
        handlers::screen::screen,
        handlers::screen::screen_batch,
        handlers::payments::screen_payment,
        handlers::scan::scan,
        handlers::lists::lists,
        handlers::lists::versions,
        handlers::lists::diff,
        handlers::lists::entity,
        handlers::ownership::ownership,
        handlers::lists::import,
        handlers::lists::activate,
        handlers::audit::record,
        handlers::audit::verify,
        handlers::audit::export,
        handlers::audit::replay,
        handlers::keys::create,
        handlers::keys::list,
        handlers::keys::revoke,
        handlers::monitoring::put_customer,
        handlers::monitoring::bulk_customers,
        handlers::monitoring::delete_customer,
        handlers::monitoring::run_monitor,
        handlers::monitoring::alerts,
        handlers::monitoring::alert,
        handlers::monitoring::decide,
        handlers::monitoring::approve,
        handlers::monitoring::reject,
        handlers::ops::healthz,
        handlers::ops::readyz,
        handlers::ops::metrics,
        crate::yente::match_entities,
        crate::yente::entity,
        crate::yente::search,
        crate::yente::catalog,
        crate::yente::algorithms,
        crate::yente_export::export,
        handlers::datasets::list,
        handlers::datasets::set,
        handlers::datasets::remove,
    ),
    components(schemas(
        ScreenRequest, ScreenResponse, BatchResponse, QueryJson, MatchJson, AlsoListedJson, ListJson,
        ListVersionJson, DiffJson, DiffCounts, ChangedJson,
        interdict_app::contract::RelationDiffJson, interdict_app::contract::RelationJson,
        interdict_app::contract::RelationChangeJson, ImportReport, MonitorReport, AuditRecordJson,
        AuditBreakJson, AuditExportJson, VerifyResponse, ReplayResponse, CreateKeyRequest, CreatedKeyJson,
        KeyJson, HealthJson, ErrorBody, ErrorDetail,
        monitoring::CustomerRequest, monitoring::BulkCustomer, monitoring::BulkCustomersRequest,
        monitoring::CustomerOutcomeJson, monitoring::InvalidCustomerJson,
        monitoring::BulkOutcomeJson, monitoring::RemovedCustomerJson, DecisionJson,
        ProposalJson, AlertJson, AlertSubjectJson, PaymentAlertSubjectJson, AlertEventJson,
        CustomerJson,
        AlertDetailJson, monitoring::DecisionRequest, monitoring::ReviewRequest,
        monitoring::MonitorRunRequest, handlers::lists::ActivateRequest,
        handlers::payments::PaymentMessageRequest, handlers::payments::PaymentResponse,
        PaymentScreeningJson, PaymentHitJson, ScanRequest, ScanResponse, MentionJson,
        handlers::scan::ScanBatchResponse,
        interdict_app::ownership::OwnershipJson, interdict_app::ownership::RegimesJson,
        interdict_app::ownership::RegimeJson, interdict_app::ownership::OwnershipPathJson,
        interdict_app::ownership::PathStepJson, interdict_app::ownership::StepLinkJson,
        handlers::ownership::OwnershipParams,
        yente::MatchRequest, yente::EntityExample, yente::EntityMatchResponse,
        yente::EntityMatches, yente::TotalSpec, yente::SearchResponse, yente::ErrorResponse,
        interdict_app::datasets::CollectionJson, interdict_app::datasets::SetCollectionRequest,
    )),
    modifiers(&SecuritySchemes, &CommonErrors),
    tags(
        (name = "screening", description = "Screen names against the active list versions"),
        (name = "lists", description = "Lists, versions, diffs, entities, imports"),
        (name = "audit", description = "The hash-chained audit trail"),
        (name = "keys", description = "API keys and roles"),
        (name = "monitoring", description = "Customer portfolio, alerts and four-eyes decisions"),
        (name = "operations", description = "Probes and metrics"),
        (name = "yente", description = "yente's API (OpenSanctions), answered by interdict: \
            FtM query entities matched through the same screenings, recorded in the audit trail"),
    )
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-API-Key"))),
        );
        // yente's clients send OpenSanctions' form, `Authorization: ApiKey KEY`.
        components.add_security_scheme(
            "yente_api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "`ApiKey KEY`, as clients of OpenSanctions' API send it",
            ))),
        );
    }
}

/// Documents on every API operation the errors that the layers in front of its handler
/// answer, which its own annotation need not repeat: a client generated from the document
/// then expects each status the service can give.
struct CommonErrors;

impl CommonErrors {
    fn add(operation: &mut Operation, status: &str, description: &str) {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| RefOr::T(error_response(description)));
    }
}

fn error_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
}

impl Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            if !path.starts_with("/v1/") {
                continue;
            }
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                if operation.request_body.is_some() {
                    Self::add(
                        operation,
                        "400",
                        "The body is not JSON, or could not be read whole",
                    );
                    Self::add(
                        operation,
                        "422",
                        "The body is JSON of another shape, or a field is wrong",
                    );
                    Self::add(
                        operation,
                        "413",
                        "The body is larger than the service accepts",
                    );
                }
                if operation.security.is_some() {
                    Self::add(operation, "401", "No or unknown API key");
                    Self::add(
                        operation,
                        "429",
                        "The key's rate limit is exceeded (when one is configured); see Retry-After",
                    );
                }
                Self::add(
                    operation,
                    "503",
                    "The request ran past the service's time limit",
                );
            }
        }
    }
}

/// The OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
