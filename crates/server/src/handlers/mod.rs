//! The request handlers, one module per group of routes; each is described for OpenAPI.

pub(crate) mod audit;
pub(crate) mod datasets;
pub(crate) mod keys;
pub(crate) mod lists;
pub(crate) mod monitoring;
pub(crate) mod ops;
pub(crate) mod ownership;
pub(crate) mod payments;
pub(crate) mod scan;
pub(crate) mod screen;
