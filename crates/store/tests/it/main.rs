//! Integration tests of the store on both backends (a real SQLite file and a real Postgres
//! database): the audit trail and keys, lists and versions, monitoring and alerts, and
//! ownership relations. One test binary for the crate (one link and one compile of the
//! dependencies' generic code, instead of one per file).

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod audit;
mod lists;
mod monitoring;
mod relations;
