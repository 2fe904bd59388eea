//! groth16-cp (commit-and-prove Groth16, logUp range checks) beside plain
//! Groth16 (`groth16.rs`) at the same shape: prove and verify, criterion's
//! repetitions (`poa bench --backend groth16-cp --shape NxD` measures the
//! large shapes once, with setup, breakdown and peak memory).

use criterion::{criterion_group, criterion_main, Criterion};
use poa_benches::epoch;
use poa_prover::groth16_cp::{prove_statement, setup_insecure};
use poa_verifier::groth16_cp::verify;

fn groth16_cp(c: &mut Criterion) {
    let mut group = c.benchmark_group("groth16-cp");
    group.sample_size(10);
    let (n, d) = (16, 256);
    let e = epoch(n, d);
    let pk = setup_insecure(e.shape, Some([1; 32])).expect("setup");
    group.bench_function(format!("prove/{n}x{d}"), |b| {
        b.iter(|| prove_statement(&pk, e.clone()).expect("prove"))
    });
    let (proof, inputs, _) = prove_statement(&pk, e.clone()).expect("prove");
    group.bench_function(format!("verify/{n}x{d}"), |b| {
        b.iter(|| verify(&pk.pk.vk, &proof, &inputs))
    });
    group.finish();
}

criterion_group!(benches, groth16_cp);
criterion_main!(benches);
