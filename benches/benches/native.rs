//! The native statement: commitments, scores and split per shape.

use criterion::{criterion_group, criterion_main, Criterion};
use poa_benches::epoch;

fn native(c: &mut Criterion) {
    let mut group = c.benchmark_group("native-attribute");
    group.sample_size(10);
    for (n, d) in [(16, 256), (64, 256), (64, 1024), (256, 1024)] {
        let e = epoch(n, d);
        group.bench_function(format!("{n}x{d}"), |b| {
            b.iter(|| e.attribute().map(|a| a.root))
        });
    }
    group.finish();
}

criterion_group!(benches, native);
criterion_main!(benches);
