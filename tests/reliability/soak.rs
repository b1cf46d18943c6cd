//! The loopback soak test at a modest size: 64 connections, 300 frames each, with the faults of
//! [`soak_engine`](crate::soak_engine). `benches/tools/soak.rs` runs bigger ones.

use crate::HEAVY;
use crate::counting::process_heap;
use crate::soak_engine::{SoakConfig, run, soak_pool};

#[test]
fn soak_64_connections_with_faults() {
    let _heavy = HEAVY.lock().unwrap_or_else(|e| e.into_inner());
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let pool = soak_pool();
    let cfg = SoakConfig { connections: 64, frames: 300, seed: 1 };
    let mut heaps = Vec::new();
    for round in 0..3 {
        let report = rt.block_on(run(SoakConfig { seed: round, ..cfg }, pool.clone()));
        heaps.push(process_heap());
        eprintln!(
            "soak round {round}: {} connections, {} frames sent, {} received, {} payload bytes, {} faults, {:?}",
            report.connections, report.frames_sent, report.frames_received, report.bytes, report.faults, report.elapsed
        );
        assert!(report.problems.is_empty(), "{:#?}", report.problems);
        assert_eq!(report.frames_received, report.frames_sent, "frames lost");
        assert_eq!(report.faults, 3 * 64 / 8);
        assert!(report.frames_sent >= 64 * 150);
        for s in &report.stats {
            assert_eq!(s.buffers_out, 0, "buffers leaked: {s:?}");
            assert!(s.idle <= s.capacity, "{s:?}");
        }
    }
    // Flat memory: the later rounds do not leave more heap behind than the first one did (the
    // pool keeps at most its capacity idle; a little slack for other tests' live data).
    let grew = heaps[2].saturating_sub(heaps[0]);
    eprintln!("soak heap after each round: {heaps:?}");
    assert!(grew < 4 << 20, "heap grew by {grew} bytes between round 0 and round 2: {heaps:?}");
}
