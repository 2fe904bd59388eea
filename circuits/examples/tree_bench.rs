//! A whole epoch through shards and aggregation (plonky2):
//! `cargo +nightly run --release -p poa-circuits --features plonky2
//! --target-dir target/nightly --example tree_bench -- 64 1024 4 2`
//! (N, D, shards, shards in flight).

use std::time::Instant;

use poa_circuits::goldilocks::aggregate::Tree;
use poa_circuits::goldilocks::split::SplitCircuit;
use poa_circuits::statement::{synthetic_epoch, Shape};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<usize> = std::env::args()
        .skip(1)
        .map(|s| s.parse())
        .collect::<Result<_, _>>()?;
    let (n, d, shards, in_flight) = match a.as_slice() {
        [n, d, k, f] => (*n, *d, *k, *f),
        _ => (64, 1024, 4, 2),
    };
    let epoch = synthetic_epoch(Shape::new(n as u64, d as u64)?, 1);
    let t = Instant::now();
    let tree = Tree::build(n, d, shards)?;
    let inner = tree.levels.last().map_or(&tree.shard.data, |l| &l.data);
    let split = SplitCircuit::build(inner, n);
    let build = t.elapsed();
    let t = Instant::now();
    let start = Instant::now();
    let proof = tree.prove(&epoch, in_flight, |what| {
        eprintln!("{:>7.1} s  {what}", start.elapsed().as_secs_f64())
    })?;
    let tree_time = t.elapsed();
    let t = Instant::now();
    let proof = split.prove(&proof, epoch.pool)?;
    let split_time = t.elapsed();
    let prove = tree_time + split_time;
    let t = Instant::now();
    let ok = split.verify(&proof);
    let verify = t.elapsed();
    let bytes = proof.to_bytes().len();
    println!(
        "{n}x{d}, {shards} shards ({in_flight} in flight): shard degree 2^{}, {} levels, split degree 2^{}; build {:.1} s, prove {:.1} s (tree {:.1} s + split {:.1} s), verify {:.1} ms ({ok}), final proof {} KB",
        tree.shard.data.common.degree_bits(),
        tree.levels.len(),
        split.data.common.degree_bits(),
        build.as_secs_f64(),
        prove.as_secs_f64(),
        tree_time.as_secs_f64(),
        split_time.as_secs_f64(),
        verify.as_secs_f64() * 1e3,
        bytes / 1024
    );
    Ok(())
}
