//! The HTTP service in-process (`tower::ServiceExt::oneshot` on the router) over real list
//! files and real stores, SQLite and Postgres: every endpoint, every error status, the role
//! ladder, the audit trail after tampering, imports while screenings go on, a real listener
//! shut down gracefully, and property tests that no input makes the service fail.

#[macro_use]
mod common;
mod documents;
mod endpoints;
mod errors;
mod hardening;
mod imports;
mod ownership;
mod properties;
mod relations_diff;
mod serving;
mod ui;
