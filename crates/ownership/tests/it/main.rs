//! Integration tests of the ownership graph: one small graph per rule, the report's JSON,
//! incremental recomputation checked against full recomputation, and the 2022-03-24 Duma
//! designations on the real SDN files. One test binary.

mod common;
mod duma;
mod incremental;
mod report;
mod rules;
