//! Times of the halo2 backend for one shape on a synthetic epoch:
//! `cargo run --release -p poa-prover --example halo2_bench -- 64x1024`.

use std::time::Instant;

use poa_circuits::halo2::AttributionCircuit;
use poa_circuits::statement::{synthetic_epoch, Shape};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let shape: Shape = std::env::args().nth(1).unwrap_or("16x256".into()).parse()?;
    let k = AttributionCircuit::k(shape)?;
    let epoch = synthetic_epoch(shape, 1);
    let t = Instant::now();
    let params = poa_prover::halo2::srs_insecure(k, Some([1; 32]))?;
    println!(
        "{shape}: k = {k}, rows {}; srs {:.1} s",
        AttributionCircuit::rows(shape)?,
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let pk = poa_prover::halo2::keygen(&params, shape)?;
    println!("keygen {:.1} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let (proof, inputs) = poa_prover::halo2::prove(&params, &pk, &epoch)?;
    println!(
        "prove (incl. self-check) {:.1} s, proof {} bytes",
        t.elapsed().as_secs_f64(),
        proof.len()
    );
    let t = Instant::now();
    let ok = poa_verifier::halo2::verify(&params, pk.get_vk(), &inputs, &proof);
    println!("verify {ok} {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    Ok(())
}
