//! Integration tests of every list parser, on real files from `../shared/data` and on small
//! fixtures in `tests/data/`. One test binary for the crate.

mod common;
mod csl;
mod detect;
mod eu;
mod ftm;
mod ofac;
mod props;
mod uk;
mod un;

mod ownership;
