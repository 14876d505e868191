//! Integration tests of the ownership graph: one small graph per rule, the report's JSON,
//! and incremental recomputation checked against full recomputation. One test binary.

mod common;
mod incremental;
mod report;
mod rules;
