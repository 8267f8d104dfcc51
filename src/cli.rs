//! Command-line arguments (clap types only).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// unionkg: build and query the knowledge graph of trade-union international relations.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read and check every record, validate the graph, and atomically replace the store.
    Build {
        /// The records directory (with sources/ and records/).
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// The store directory.
        #[arg(long, default_value = "store")]
        store: PathBuf,
        /// The base IRI every identifier is minted under (must end with '/').
        #[arg(long, default_value = unionkg::config::DEFAULT_BASE_IRI)]
        base_iri: String,
    },
    /// Serve the store over HTTP: the SPARQL endpoint at /sparql (building the store from --data first if needed).
    Serve(ServeArgs),
    /// Run every check of a build without writing anything.
    Validate {
        #[arg(long, default_value = "data")]
        data: PathBuf,
        #[arg(long, default_value = unionkg::config::DEFAULT_BASE_IRI)]
        base_iri: String,
    },
    /// Run a SPARQL query against the store (the union of all graphs is the default graph).
    Query {
        #[arg(long, default_value = "store")]
        store: PathBuf,
        /// Output format: json, xml, csv, tsv (SELECT/ASK); ttl, nt, rdf, jsonld (CONSTRUCT/DESCRIBE).
        #[arg(long)]
        format: Option<String>,
        /// Read the query from this file.
        #[arg(long, conflicts_with = "query")]
        file: Option<PathBuf>,
        /// The query text.
        #[arg(required_unless_present = "file")]
        query: Option<String>,
    },
    /// Write the whole dataset to standard output (N-Quads, TriG and JSON-LD keep the named graphs).
    Export {
        #[arg(long, default_value = "store")]
        store: PathBuf,
        #[arg(long, value_enum)]
        format: ExportFormat,
    },
    /// Print what the Linked Data document of a resource holds (its triples, parts, neighbours' labels,
    /// incoming links and evidence), as Turtle.
    Describe {
        #[arg(long, default_value = "store")]
        store: PathBuf,
        /// A record id (`acftu`) or a full IRI.
        resource: String,
        #[arg(long, default_value = unionkg::config::DEFAULT_BASE_IRI)]
        base_iri: String,
    },
    /// Print the SHA-256 of the dataset's canonical N-Quads (RDFC-1.0): the release checksum.
    Checksum {
        #[arg(long, default_value = "store")]
        store: PathBuf,
    },
    /// List the passages of the source texts with their ids (for citing them in records).
    Passages {
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// Only this document.
        #[arg(long)]
        document: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Nt,
    Nq,
    Ttl,
    Trig,
    Jsonld,
    Rdf,
}

impl ExportFormat {
    pub fn name(self) -> &'static str {
        match self {
            Self::Nt => "nt",
            Self::Nq => "nq",
            Self::Ttl => "ttl",
            Self::Trig => "trig",
            Self::Jsonld => "jsonld",
            Self::Rdf => "rdf",
        }
    }
}

/// The options of `unionkg serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The store directory.
    #[arg(long, default_value = "store")]
    pub store: PathBuf,
    /// The records directory, to build the store from when there is none yet.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// The address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:7878")]
    pub bind: String,
    /// The longest a query may run, in seconds; clients may ask for less with a `timeout` parameter.
    #[arg(long, default_value_t = 30.0)]
    pub timeout: f64,
    /// How many queries may run at once; more are refused with 503 and Retry-After.
    #[arg(long, default_value_t = 4)]
    pub max_concurrent_queries: usize,
    /// A file holding the bearer token that allows SPARQL updates and Graph Store writes.
    #[arg(long)]
    pub write_token_file: Option<PathBuf>,
    /// The base IRI to build with, when the store has to be built first.
    #[arg(long, default_value = unionkg::config::DEFAULT_BASE_IRI)]
    pub base_iri: String,
}
