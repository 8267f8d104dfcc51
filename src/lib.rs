//! unionkg: a Linked Data publisher for the history of trade-union international relations.
//!
//! # Layout
//! The pipeline runs in one direction: [`records`] reads and checks `data/`; [`mapping`] turns the
//! checked records into quads (pure, no I/O); [`store`] writes them into an Oxigraph store, atomically,
//! and answers queries; [`shacl`] validates a store against `ontology/shapes.ttl`. [`config`] holds the
//! validated settings and [`vocab`] the ontology's IRIs. [`http`] serves the store: the SPARQL endpoint
//! and the Graph Store protocol.

pub mod config;
pub mod describe;
pub mod http;
pub mod mapping;
pub mod pipeline;
pub mod records;
pub mod shacl;
pub mod store;
pub mod vocab;
