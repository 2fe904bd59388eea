//! Groth16: synthesis, prove and verify at a shape small enough for
//! criterion's repetitions (`poa bench --shape NxD` measures the large ones
//! once, with setup and peak memory).

use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystem, OptimizationGoal};
use criterion::{criterion_group, criterion_main, Criterion};
use poa_benches::epoch;
use poa_circuits::r1cs::circuit::AttributionCircuit;
use poa_prover::groth16::{prove, setup_insecure};
use poa_verifier::groth16::verify_inputs;

fn groth16(c: &mut Criterion) {
    let mut group = c.benchmark_group("groth16");
    group.sample_size(10);
    let (n, d) = (16, 256);
    let e = epoch(n, d);
    let keys = setup_insecure(e.shape, Some([1; 32])).expect("setup");
    group.bench_function(format!("synthesis/{n}x{d}"), |b| {
        b.iter(|| {
            let cs = ConstraintSystem::new_ref();
            cs.set_optimization_goal(OptimizationGoal::Constraints);
            AttributionCircuit::new(e.clone())
                .expect("circuit")
                .generate_constraints(cs.clone())
                .expect("synthesis");
            cs.finalize();
            cs.num_constraints()
        })
    });
    group.bench_function(format!("prove/{n}x{d}"), |b| {
        b.iter(|| prove(&keys.pk, e.clone()).expect("prove"))
    });
    let (proof, inputs, _) = prove(&keys.pk, e.clone()).expect("prove");
    group.bench_function(format!("verify/{n}x{d}"), |b| {
        b.iter(|| verify_inputs(&keys.vk.vk, &proof, &inputs))
    });
    group.finish();
}

criterion_group!(benches, groth16);
criterion_main!(benches);
