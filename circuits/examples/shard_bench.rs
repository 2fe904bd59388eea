//! One plonky2 shard: build, prove, verify times and proof size.
//! `cargo +nightly run --release -p poa-circuits --features plonky2
//! --target-dir target/nightly --example shard_bench -- 16 1024`
//! (add `RUSTFLAGS="-C target-cpu=native"` for speed).

use std::time::Instant;

use poa_circuits::goldilocks::shard::ShardCircuit;
use poa_circuits::statement::{synthetic_epoch, Shape};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let slots: usize = args.next().unwrap_or("16".into()).parse()?;
    let dim: usize = args.next().unwrap_or("1024".into()).parse()?;
    let epoch = synthetic_epoch(Shape::new(slots as u64, dim as u64)?, 1);
    let t = Instant::now();
    let circuit = ShardCircuit::build(slots, dim);
    let build = t.elapsed();
    let t = Instant::now();
    let proof = circuit.prove(&epoch, 0)?;
    let prove = t.elapsed();
    let t = Instant::now();
    let ok = circuit.verify(&proof);
    let verify = t.elapsed();
    let size = serde_json::to_vec(&proof).map(|v| v.len()).unwrap_or(0);
    println!(
        "shard {slots}x{dim} ({} entries): degree 2^{}, build {:.1} s, prove {:.1} s, verify {:.1} ms ({ok}), proof {} KB (JSON), {} threads",
        slots * dim,
        circuit.data.common.degree_bits(),
        build.as_secs_f64(),
        prove.as_secs_f64(),
        verify.as_secs_f64() * 1e3,
        size / 1024,
        rayon_threads(),
    );
    Ok(())
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
