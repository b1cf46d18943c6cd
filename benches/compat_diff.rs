//! Speed of the compatibility diff on large contract sets, side by side with the layout
//! computation every check already pays (the baseline): the diff should cost about the same,
//! linear in the number of fields.
//!
//! `cargo bench --features internals --bench compat_diff -- --warm-up-time 1 --measurement-time 3`

use std::collections::BTreeMap;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use mycelium_contracts::compat::{self, Side};
use mycelium_contracts::model::{Contracts, FieldDef, Layout, MessageDef, ServiceDef};

fn field(name: &str, ty: &str) -> FieldDef {
    FieldDef { name: name.into(), ty: ty.into(), count: None, max_count: None, max_len: None, description: None }
}

/// `n` messages of six fields (every tenth embeds the previous message), `n / 10` services of
/// ten messages each.
fn contracts(n: usize) -> Contracts {
    let messages = (0..n)
        .map(|i| {
            let mut fields = vec![
                field("pool", "Address"),
                field("amount_in", "uint256"),
                field("amount_out", "uint256"),
                FieldDef { max_len: Some(32), ..field("symbol", "string") },
                FieldDef { max_count: Some(4), ..field("ticks", "i32") },
                field("seq", "u64"),
            ];
            if i % 10 == 9 {
                fields.push(field("prev", &format!("Msg{}", i - 1)));
            }
            MessageDef { name: format!("Msg{i}"), type_id: Some((i % 65_535 + 1) as u16), description: None, fields }
        })
        .collect();
    let services: BTreeMap<String, ServiceDef> = (0..n / 10)
        .map(|s| {
            let messages = (0..10).map(|k| format!("Msg{}", s * 10 + k)).collect();
            (format!("svc-{s}"), ServiceDef { messages, buffer_pool_enabled: true })
        })
        .collect();
    Contracts { version: "1.0.0".into(), enums: Vec::new(), messages, services }
}

/// The same set with a change in every hundredth message (a field appended, a bound widened,
/// a rename) so every code path runs.
fn changed(base: &Contracts) -> Contracts {
    let mut c = base.clone();
    for (i, m) in c.messages.iter_mut().enumerate() {
        match i % 300 {
            0 => m.fields.push(field("extra", "u16")),
            100 => m.fields[3].max_len = Some(40),
            200 => m.fields[0].name = "pool_address".into(),
            _ => {}
        }
    }
    c.version = "2.0.0".into();
    c
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("compat");
    group.sample_size(10);
    for n in [2_000usize, 20_000] {
        let base = contracts(n);
        let new = changed(&base);
        let (bl, nl) = (Layout::compute(&base), Layout::compute(&new));
        group.bench_with_input(BenchmarkId::new("layout_baseline", n), &n, |b, _| b.iter(|| Layout::compute(&new)));
        group.bench_with_input(BenchmarkId::new("diff", n), &n, |b, _| {
            b.iter(|| compat::diff(Side::new(&base, &bl), Side::new(&new, &nl)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
