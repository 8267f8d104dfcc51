//! Counters and a latency histogram, rendered in the Prometheus text format at `/metrics`.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Default)]
pub struct Counter(AtomicU64);

impl Counter {
    pub fn inc(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0, 30.0];

#[derive(Debug, Default)]
pub struct Metrics {
    /// Responses by status class: 2xx, 3xx, 4xx, 5xx.
    pub responses: [Counter; 4],
    pub queries_total: Counter,
    pub updates_total: Counter,
    pub timeouts_total: Counter,
    pub rejected_total: Counter,
    pub cancelled_total: Counter,
    buckets: [Counter; BUCKETS.len()],
    latency_count: Counter,
    latency_micros: Counter,
}

impl Metrics {
    pub fn observe(&self, status: u16, seconds: f64) {
        if let Some(c) = self.responses.get(usize::from(status / 100).saturating_sub(2)) {
            c.inc();
        }
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            if seconds <= *bound {
                bucket.inc();
            }
        }
        self.latency_count.inc();
        self.latency_micros.0.fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }

    pub fn render(&self, in_flight: usize, overrunning: usize) -> String {
        let mut out = String::new();
        let mut metric = |name: &str, kind: &str, help: &str, lines: &[(String, u64)]| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            for (labels, v) in lines {
                let _ = writeln!(out, "{name}{labels} {v}");
            }
        };
        let classes = ["2xx", "3xx", "4xx", "5xx"];
        let by_class: Vec<(String, u64)> = classes
            .iter()
            .zip(&self.responses)
            .map(|(c, n)| (format!("{{class=\"{c}\"}}"), n.get()))
            .collect();
        metric(
            "unionkg_http_responses_total",
            "counter",
            "HTTP responses by status class.",
            &by_class,
        );
        metric(
            "unionkg_queries_total",
            "counter",
            "SPARQL queries evaluated.",
            &[(String::new(), self.queries_total.get())],
        );
        metric(
            "unionkg_updates_total",
            "counter",
            "SPARQL updates and Graph Store writes applied.",
            &[(String::new(), self.updates_total.get())],
        );
        metric(
            "unionkg_query_timeouts_total",
            "counter",
            "Queries stopped at their deadline.",
            &[(String::new(), self.timeouts_total.get())],
        );
        metric(
            "unionkg_query_rejections_total",
            "counter",
            "Queries refused by admission control (503).",
            &[(String::new(), self.rejected_total.get())],
        );
        metric(
            "unionkg_query_cancellations_total",
            "counter",
            "Queries cancelled because the client went away.",
            &[(String::new(), self.cancelled_total.get())],
        );
        metric(
            "unionkg_queries_in_flight",
            "gauge",
            "Queries running now.",
            &[(String::new(), in_flight as u64)],
        );
        metric(
            "unionkg_queries_overrunning",
            "gauge",
            "Cancelled queries still computing in memory (they keep their admission permit until they stop).",
            &[(String::new(), overrunning as u64)],
        );
        let _ = writeln!(out, "# HELP unionkg_http_request_duration_seconds Time to the response head.\n# TYPE unionkg_http_request_duration_seconds histogram");
        for (bound, c) in BUCKETS.iter().zip(&self.buckets) {
            let _ = writeln!(out, "unionkg_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {}", c.get());
        }
        let n = self.latency_count.get();
        let _ = writeln!(out, "unionkg_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {n}");
        let _ = writeln!(
            out,
            "unionkg_http_request_duration_seconds_sum {}",
            self.latency_micros.get() as f64 / 1e6
        );
        let _ = writeln!(out, "unionkg_http_request_duration_seconds_count {n}");
        out
    }
}
