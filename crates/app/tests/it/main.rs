//! Integration tests of the application layer: the cross-list grouping on the lists as
//! published, and through the use cases on a store. One test binary for the crate.

mod cross_list;
mod cross_list_store;
