//! The integration tests: one binary, one module per concern.

mod bad_records;
mod cli;
mod describe;
mod http;
mod http_support;
mod mapping;
mod ontology;
mod protocol_suite;
mod questions;
mod support;
