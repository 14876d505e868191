//! Integration tests of every list parser, on real files from `../shared/data` and on small
//! fixtures in `tests/data/`. One test binary for the crate.

mod common;
mod completeness;
mod csl;
mod detect;
mod eu;
mod ftm;
mod fuzz_replay;
mod ofac;
mod props;
mod published;
mod uk;
mod uk_csv;
mod un;

mod ownership;
