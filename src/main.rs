//! The `unionkg` binary: parses arguments, calls the library, maps the outcome to an exit code.

mod cli;

use anyhow::{Context, Result};
use clap::Parser;
use cli::{Cli, Command, ServeArgs};
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;
use unionkg::config::BaseIri;
use unionkg::pipeline::{self, BuildError, Report};
use unionkg::store::{self, StoreDir};

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            if e.chain().any(is_broken_pipe) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// A reader that went away (`| head`) is not an error; serializers may wrap the I/O error in another.
fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    match e.downcast_ref::<std::io::Error>() {
        Some(io) if io.kind() == std::io::ErrorKind::BrokenPipe => true,
        Some(io) => io.get_ref().is_some_and(|inner| is_broken_pipe(inner)),
        None => false,
    }
}

fn print_report(what: &str, r: &Report) {
    for f in &r.findings {
        eprintln!("{f}");
    }
    eprintln!(
        "{what}: {} records, {} quads, 0 SHACL violations, {} notes",
        r.records,
        r.quads,
        r.findings.len()
    );
    if let Some(p) = &r.store {
        eprintln!("store: {}", p.display());
    }
}

/// Prints every problem of a failed build; returns the exit code.
fn print_failure(e: &BuildError) -> ExitCode {
    match e {
        BuildError::Records(errors) => {
            for err in errors {
                eprintln!("{err}");
            }
        }
        BuildError::Invalid(findings) => {
            for f in findings {
                eprintln!("{f}");
            }
        }
        _ => {}
    }
    eprintln!("error: {e}; nothing was written");
    ExitCode::from(1)
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build { data, store, base_iri } => {
            let base = BaseIri::parse(&base_iri)?;
            let start = Instant::now();
            let progress = move |n: u64| {
                if start.elapsed().as_secs() >= 1 {
                    eprintln!("loading: {n} quads");
                }
            };
            match pipeline::build(&data, &store, &base, progress) {
                Ok(report) => print_report("built", &report),
                Err(e) => return Ok(print_failure(&e)),
            }
        }
        Command::Serve(args) => return serve(args),
        Command::Validate { data, base_iri } => {
            let base = BaseIri::parse(&base_iri)?;
            match pipeline::validate(&data, &base) {
                Ok(report) => print_report("valid", &report),
                Err(e) => return Ok(print_failure(&e)),
            }
        }
        Command::Query {
            store,
            format,
            file,
            query,
        } => {
            let text = match (file, query) {
                (Some(f), _) => std::fs::read_to_string(&f).with_context(|| format!("cannot read {}", f.display()))?,
                (None, Some(q)) => q,
                (None, None) => unreachable!("clap requires one"),
            };
            let st = StoreDir::new(&store).open_read_only()?;
            let results = store::query(&st, &text)?;
            let format = format.unwrap_or_else(|| match results {
                oxigraph::sparql::QueryResults::Graph(_) => "ttl".into(),
                _ => "tsv".into(),
            });
            let out = std::io::stdout().lock();
            store::write_results(results, &format, std::io::BufWriter::new(out))?;
        }
        Command::Export { store, format } => {
            let st = StoreDir::new(&store).open_read_only()?;
            let f = store::rdf_format(format.name()).context("format")?;
            let tu = store::tu_namespace(&st)?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            store::export(&st, f, &tu, &mut out)?;
            out.flush()?;
        }
        Command::Describe { store, resource, base_iri } => {
            let st = StoreDir::new(&store).open_read_only()?;
            let iri = if resource.contains(':') {
                resource
            } else {
                BaseIri::parse(&base_iri)?.id(&resource).into_string()
            };
            let iri = oxigraph::model::NamedNode::new(&iri).with_context(|| format!("'{iri}' is not an IRI"))?;
            let triples = unionkg::describe::describe(&st, iri.as_ref())?;
            anyhow::ensure!(!triples.is_empty(), "nothing is known about {iri}");
            let mut w = oxigraph::io::RdfSerializer::from_format(oxigraph::io::RdfFormat::Turtle)
                .for_writer(std::io::BufWriter::new(std::io::stdout().lock()));
            for t in &triples {
                w.serialize_triple(t)?;
            }
            w.finish()?.flush()?;
        }
        Command::Checksum { store } => {
            let st = StoreDir::new(&store).open_read_only()?;
            let (hash, n) = store::checksum(&st)?;
            println!("{hash}  {n} quads, canonical N-Quads (RDFC-1.0)");
        }
        Command::Passages { data, document } => {
            let dataset_docs = unionkg::records::load_documents(&data)
                .map_err(|errs| anyhow::anyhow!(errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")))?;
            let mut out = std::io::stdout().lock();
            for d in dataset_docs.iter().filter(|d| document.as_ref().is_none_or(|x| *x == d.id)) {
                for p in &d.passages {
                    writeln!(out, "{}#p{}\t{}", d.id, p.number, p.text)?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn serve(a: ServeArgs) -> Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .json()
        .with_writer(std::io::stderr)
        .init();
    let base = BaseIri::parse(&a.base_iri)?;
    let write_token = match &a.write_token_file {
        Some(f) => {
            let t = std::fs::read_to_string(f)
                .with_context(|| format!("cannot read the write token file {}", f.display()))?
                .trim()
                .to_owned();
            anyhow::ensure!(t.len() >= 16, "the write token in {} is shorter than 16 characters", f.display());
            Some(t)
        }
        None => None,
    };
    anyhow::ensure!(
        a.timeout > 0.0 && a.timeout.is_finite(),
        "--timeout must be a positive number of seconds"
    );
    let (st, report) = match pipeline::open_or_build(&a.data, &a.store, &base, write_token.is_some(), |_| {}) {
        Ok(ok) => ok,
        Err(e) => return Ok(print_failure(&e)),
    };
    if let Some(r) = report {
        print_report("built", &r);
    }
    let mut config = unionkg::http::ServerConfig::new(base);
    config.timeout = std::time::Duration::from_secs_f64(a.timeout);
    config.max_concurrent_queries = a.max_concurrent_queries.max(1);
    config.write_token = write_token;
    let state = unionkg::http::AppState::new(st, config);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&a.bind)
            .await
            .with_context(|| format!("cannot listen on {}", a.bind))?;
        let addr = listener.local_addr()?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "serving http://{addr}/ (SPARQL endpoint: http://{addr}/sparql)")?;
        out.flush()?;
        drop(out);
        unionkg::http::serve(listener, state, shutdown_signal()).await?;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown_signal() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = term => {}
    }
}
