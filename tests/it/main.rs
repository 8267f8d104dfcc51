//! The integration tests: one binary, one module per concern.

mod bad_records;
mod cli;
mod mapping;
mod ontology;
mod questions;
mod support;
