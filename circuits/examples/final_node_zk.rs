//! What zero knowledge costs the plonky2 final node (the published proof):
//! the tree of a synthetic epoch is proven once, then the final node with
//! and without `zero_knowledge`, alternately, `ROUNDS` times each.
//! `cargo +nightly run --release -p poa-circuits --features plonky2
//! --target-dir target/nightly --example final_node_zk -- 64 1024 2`

use std::time::{Duration, Instant};

use plonky2::plonk::circuit_data::CircuitConfig;
use poa_circuits::goldilocks::aggregate::Tree;
use poa_circuits::goldilocks::split::{self, SplitCircuit};
use poa_circuits::statement::{synthetic_epoch, Shape};

const ROUNDS: usize = 3;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let slots: usize = args.next().unwrap_or("64".into()).parse()?;
    let dim: usize = args.next().unwrap_or("1024".into()).parse()?;
    let shards: usize = args.next().unwrap_or("2".into()).parse()?;
    let epoch = synthetic_epoch(Shape::new(slots as u64, dim as u64)?, 42);
    let tree = Tree::build(slots, dim, shards)?;
    let halves = tree.prove(&epoch, 2, |_| {})?;
    let circuits = [
        (
            "zero-knowledge",
            SplitCircuit::build_with(&tree, split::config()),
        ),
        (
            "plain",
            SplitCircuit::build_with(&tree, CircuitConfig::standard_recursion_config()),
        ),
    ];
    let mut times = [Vec::new(), Vec::new()];
    let mut sizes = [0; 2];
    for _ in 0..ROUNDS {
        for (i, (_, c)) in circuits.iter().enumerate() {
            let t = Instant::now();
            let proof = c.prove(&halves, epoch.pool)?;
            times[i].push(t.elapsed());
            assert!(c.verify(&proof), "the final proof does not verify");
            sizes[i] = proof.to_bytes().len();
        }
    }
    for (i, (name, c)) in circuits.iter().enumerate() {
        times[i].sort();
        let median: Duration = times[i][ROUNDS / 2];
        println!(
            "final node {slots}x{dim} ({shards} shards), {name}: degree 2^{}, prove {:.2} s (median of {ROUNDS}), proof {} bytes",
            c.data.common.degree_bits(),
            median.as_secs_f64(),
            sizes[i]
        );
    }
    Ok(())
}
