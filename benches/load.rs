//! Loader throughput on the generated 20,000-message contract, side by side with baselines:
//!
//! * `saphyr-events`: saphyr-parser's event loop producing nothing — the floor for any
//!   saphyr-based loader (the YAML loader adds the `serde_json::Value` and the span index); on
//!   the JSON file it shows why JSON has a parser of its own;
//! * `serde_json`: `serde_json::from_str::<Value>` of the same contracts as JSON — building the
//!   same value with the fastest Rust JSON parser, and no spans.
//!
//! Then the loader on 5,000, 10,000 and 20,000 messages, to see that time grows linearly.
//! After criterion's own report, a summary prints the best-of-5 times and the ratios:
//!
//! ```text
//! cargo bench --features internals --bench load -- --warm-up-time 1 --measurement-time 3
//! ```

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput};
use mycelium_contracts::load;
use mycelium_contracts::source::SourceFile;

#[allow(dead_code)]
#[path = "tools/gen_contracts.rs"]
mod gen_contracts;

use gen_contracts::{Format, render};

fn source(messages: usize, format: Format) -> Arc<SourceFile> {
    let name = match format {
        Format::Yaml => "big.yaml",
        Format::Json => "big.json",
        Format::Toml => "big.toml",
    };
    SourceFile::new(name, render(messages, messages / 10, format))
}

fn saphyr_events(text: &str) -> usize {
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    let mut n = 0;
    while let Some(event) = parser.next_event() {
        black_box(event.expect("valid document"));
        n += 1;
    }
    n
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("load-20k");
    group.sample_size(10);
    for format in [Format::Yaml, Format::Json, Format::Toml] {
        let src = source(20_000, format);
        let label = format!("{format:?}").to_lowercase();
        group.throughput(Throughput::Bytes(src.text().len() as u64));
        group.bench_function(BenchmarkId::new("loader", &label), |b| {
            b.iter_with_large_drop(|| load::load(&src).expect("valid document"))
        });
        match format {
            Format::Yaml | Format::Json => {
                group.bench_function(BenchmarkId::new("saphyr-events", &label), |b| {
                    b.iter(|| saphyr_events(src.text()))
                });
            }
            Format::Toml => {}
        }
        if format == Format::Json {
            group.bench_function(BenchmarkId::new("serde_json", &label), |b| {
                b.iter_with_large_drop(|| serde_json::from_str::<serde_json::Value>(src.text()).expect("valid JSON"))
            });
        }
    }
    group.finish();

    let mut group = c.benchmark_group("load-linearity");
    group.sample_size(10);
    for messages in [5_000, 10_000, 20_000] {
        let src = source(messages, Format::Yaml);
        group.throughput(Throughput::Bytes(src.text().len() as u64));
        group.bench_function(BenchmarkId::new("loader-yaml", messages), |b| {
            b.iter_with_large_drop(|| load::load(&src).expect("valid document"))
        });
    }
    group.finish();
}

/// Best of `runs` timings of `f` (dropping its result outside the timing).
fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            let out = black_box(f());
            let elapsed = start.elapsed();
            drop(out);
            elapsed
        })
        .min()
        .unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// The summary with ratios, from one run on this machine.
fn summary() {
    println!("\n== loader summary (best of 5; ratios are what to compare across machines)");
    let yaml = source(20_000, Format::Yaml);
    let json = source(20_000, Format::Json);
    let toml = source(20_000, Format::Toml);
    let load_yaml = best(5, || load::load(&yaml).unwrap());
    let events_yaml = best(5, || saphyr_events(yaml.text()));
    let load_json = best(5, || load::load(&json).unwrap());
    let events_json = best(5, || saphyr_events(json.text()));
    let serde = best(5, || serde_json::from_str::<serde_json::Value>(json.text()).unwrap());
    let load_toml = best(5, || load::load(&toml).unwrap());
    let drop_yaml = {
        let doc = load::load(&yaml).unwrap();
        let start = Instant::now();
        drop(doc);
        start.elapsed()
    };
    let mb = |s: &SourceFile| s.text().len() as f64 / 1e6;
    println!(
        "YAML {:.1} MB: loader {} | saphyr events alone {} | loader/events {:.2}",
        mb(&yaml),
        ms(load_yaml),
        ms(events_yaml),
        ratio(load_yaml, events_yaml)
    );
    println!("     dropping the loaded document: {}", ms(drop_yaml));
    println!(
        "JSON {:.1} MB: loader {} | saphyr events alone {} | serde_json::from_str {} | loader/events {:.2} | loader/serde_json {:.2}",
        mb(&json),
        ms(load_json),
        ms(events_json),
        ms(serde),
        ratio(load_json, events_json),
        ratio(load_json, serde)
    );
    println!(
        "TOML {:.1} MB: loader {} | loader TOML / loader YAML {:.2}",
        mb(&toml),
        ms(load_toml),
        ratio(load_toml, load_yaml)
    );
    let mut previous: Option<Duration> = None;
    for messages in [5_000, 10_000, 20_000] {
        let src = source(messages, Format::Yaml);
        let t = best(5, || load::load(&src).unwrap());
        match previous {
            Some(p) => println!("linearity: {messages} messages {} ({:.2}x the half size)", ms(t), ratio(t, p)),
            None => println!("linearity: {messages} messages {}", ms(t)),
        }
        previous = Some(t);
    }
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion);
    criterion.final_summary();
    // Only under `cargo bench`, not when `cargo test --benches` runs each benchmark once.
    if std::env::args().any(|a| a == "--bench") {
        summary();
    }
}
