//! Prometheus metrics: requests by route and status, latency, screenings, matches, index size
//! and list versions. The recorder is process-wide (the `metrics` facade has one), installed
//! once however many apps a process builds.

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

const REQUESTS: &str = "interdict_http_requests_total";
const LATENCY: &str = "interdict_http_request_duration_seconds";
const SCREENINGS: &str = "interdict_screenings_total";
const MATCHES: &str = "interdict_matches_total";
const INDEX_ENTITIES: &str = "interdict_index_entities";
const INDEX_RELOADS: &str = "interdict_index_reloads_total";
const LIST_VERSION: &str = "interdict_list_version_info";
const CONNECTIONS_REFUSED: &str = "interdict_http_connections_refused_total";

/// Latency buckets in seconds: a screening takes about a millisecond, an import seconds.
const LATENCY_BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process's Prometheus handle, installing the recorder on first use; `None` when another
/// recorder was installed first.
pub(crate) fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let installed = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(LATENCY.to_owned()), &LATENCY_BUCKETS)
                .and_then(PrometheusBuilder::install_recorder);
            match installed {
                Ok(handle) => {
                    metrics::describe_counter!(REQUESTS, "HTTP requests by route, method, status");
                    metrics::describe_histogram!(LATENCY, "HTTP request latency in seconds");
                    metrics::describe_counter!(SCREENINGS, "Names screened");
                    metrics::describe_counter!(MATCHES, "Matches returned");
                    metrics::describe_gauge!(INDEX_ENTITIES, "Entities in the screening index");
                    metrics::describe_counter!(INDEX_RELOADS, "Index rebuilds");
                    metrics::describe_gauge!(LIST_VERSION, "1 for each list version indexed");
                    metrics::describe_counter!(
                        CONNECTIONS_REFUSED,
                        "Connections refused at the connection limit"
                    );
                    Some(handle)
                }
                Err(error) => {
                    tracing::warn!(%error, "metrics are disabled");
                    None
                }
            }
        })
        .as_ref()
}

/// Middleware counting every request by route template (not raw path: bounded labels),
/// method and status, and timing it.
pub(crate) async fn track(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::histogram!(LATENCY, "route" => route.clone(), "method" => method.clone())
        .record(started.elapsed().as_secs_f64());
    metrics::counter!(REQUESTS, "route" => route, "method" => method, "status" => status)
        .increment(1);
    response
}

/// Counts a connection refused at the connection limit.
pub(crate) fn connection_refused() {
    metrics::counter!(CONNECTIONS_REFUSED).increment(1);
}

/// Counts screened names and the matches returned.
pub(crate) fn screened(names: usize, matches: usize) {
    metrics::counter!(SCREENINGS).increment(names as u64);
    metrics::counter!(MATCHES).increment(matches as u64);
}

/// Records an index swap: its size, and which list versions it serves.
pub(crate) fn index_swapped(
    previous: Option<&BTreeMap<String, String>>,
    current: &BTreeMap<String, String>,
    entities: usize,
) {
    metrics::gauge!(INDEX_ENTITIES).set(entities as f64);
    metrics::counter!(INDEX_RELOADS).increment(1);
    for (list, version) in previous.into_iter().flatten() {
        if current.get(list) != Some(version) {
            metrics::gauge!(LIST_VERSION, "list" => list.clone(), "version" => version.clone())
                .set(0.0);
        }
    }
    for (list, version) in current {
        metrics::gauge!(LIST_VERSION, "list" => list.clone(), "version" => version.clone())
            .set(1.0);
    }
}
