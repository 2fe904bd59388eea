//! halo2 (KZG, GWC): prove and verify at the Groth16 bench's shape
//! (`poa bench --backend halo2 --shape NxD` measures the large ones once,
//! with setup and peak memory). One proof takes about a minute on 2 cores:
//! `cargo bench -p poa-benches --bench halo2` runs for ~15 minutes.

use criterion::{criterion_group, criterion_main, Criterion};
use poa_benches::epoch;
use poa_prover::halo2::{keygen, prove, srs_insecure};
use poa_verifier::halo2::verify;

fn halo2(c: &mut Criterion) {
    let mut group = c.benchmark_group("halo2");
    group.sample_size(10);
    let (n, d) = (16, 256);
    let e = epoch(n, d);
    let k = poa_circuits::halo2::AttributionCircuit::k(e.shape).expect("k");
    let params = srs_insecure(k, Some([1; 32])).expect("srs");
    let pk = keygen(&params, e.shape).expect("keygen");
    group.bench_function(format!("prove/{n}x{d}"), |b| {
        b.iter(|| prove(&params, &pk, &e).expect("prove"))
    });
    let (proof, inputs) = prove(&params, &pk, &e).expect("prove");
    group.bench_function(format!("verify/{n}x{d}"), |b| {
        b.iter(|| verify(&params, pk.get_vk(), &inputs, &proof))
    });
    group.finish();
}

criterion_group!(benches, halo2);
criterion_main!(benches);
