//! A bigger loopback soak run than the test's (figures in `docs/dev/testing.md`).
//!
//! ```sh
//! cargo run --release --example soak -- [connections] [frames per connection] [rounds]
//! ```
//!
//! Defaults: 256 connections, 2,000 frames each, 5 rounds. Prints per round the frames sent and
//! received, payload bytes, faults injected and the pool's counters, then the peak RSS; exits
//! with 1 when a frame was lost or corrupted, a connection ended the wrong way, or a buffer
//! was not returned.

#[path = "../../tests/reliability/soak_engine.rs"]
mod soak_engine;

use soak_engine::{SoakConfig, run, soak_pool};

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).map(|a| a.parse().expect("a number")).collect();
    let connections = args.first().copied().unwrap_or(256);
    let frames = args.get(1).copied().unwrap_or(2000);
    let rounds = args.get(2).copied().unwrap_or(5);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let pool = soak_pool();
    let (mut sent, mut received, mut bytes, mut faults, mut failed) = (0u64, 0u64, 0u64, 0usize, false);
    let started = std::time::Instant::now();
    for round in 0..rounds {
        let report = rt.block_on(run(SoakConfig { connections, frames, seed: round as u64 }, pool.clone()));
        let leaked: u64 = report.stats.iter().map(|s| s.buffers_out).sum();
        let over = report.stats.iter().any(|s| s.idle > s.capacity);
        println!(
            "round {round}: {connections} connections, {} frames sent, {} received, {} payload bytes, {} faults, \
             {leaked} buffers out, {:?}",
            report.frames_sent, report.frames_received, report.bytes, report.faults, report.elapsed
        );
        for p in report.problems.iter().take(10) {
            println!("  problem: {p}");
        }
        failed |= !report.problems.is_empty() || leaked != 0 || over || report.frames_sent != report.frames_received;
        sent += report.frames_sent;
        received += report.frames_received;
        bytes += report.bytes;
        faults += report.faults;
    }
    let stats = pool.stats();
    println!(
        "total: {rounds} rounds x {connections} connections, {sent} frames sent, {received} received (lost {}), \
         {bytes} payload bytes, {faults} faults injected, buffers out {}, {:.1} s, peak RSS {} KiB",
        sent.saturating_sub(received),
        stats.iter().map(|s| s.buffers_out).sum::<u64>(),
        started.elapsed().as_secs_f64(),
        peak_rss_kib().unwrap_or(0)
    );
    for s in &stats {
        println!(
            "  class {:>5}: capacity {:>3}, idle {:>3}, hits {}, misses {}, frees over capacity {}",
            s.size, s.capacity, s.idle, s.hits, s.misses, s.frees_over_capacity
        );
    }
    if failed {
        std::process::exit(1);
    }
}
