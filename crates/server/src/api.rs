//! The JSON types of the API: the application layer's contracts (one per concept, shared
//! with the command line and webhooks), re-exported for the handlers and the OpenAPI
//! document.

pub(crate) use interdict_app::contract::*;
