//! What zero knowledge costs the plonky2 final proof: the tree of a
//! synthetic epoch is proven once, then the split node (private, with
//! lookups) and its zero-knowledge wrapper (the published proof), `ROUNDS`
//! times each.
//! `cargo +nightly run --release -p poa-circuits --features plonky2
//! --target-dir target/nightly --example final_node_zk -- 64 1024 2`

use std::time::{Duration, Instant};

use poa_circuits::goldilocks::aggregate::Tree;
use poa_circuits::goldilocks::split::SplitCircuit;
use poa_circuits::statement::{synthetic_epoch, Shape};

const ROUNDS: usize = 3;

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let slots: usize = args.next().unwrap_or("64".into()).parse()?;
    let dim: usize = args.next().unwrap_or("1024".into()).parse()?;
    let shards: usize = args.next().unwrap_or("2".into()).parse()?;
    let epoch = synthetic_epoch(Shape::new(slots as u64, dim as u64)?, 42);
    let tree = Tree::build(slots, dim, shards)?;
    let halves = tree.prove(&epoch, 2, |_| {})?;
    let split = SplitCircuit::build(&tree);
    let (mut inner_t, mut wrap_t) = (Vec::new(), Vec::new());
    let mut sizes = (0, 0);
    for _ in 0..ROUNDS {
        let t = Instant::now();
        let inner = split.prove_inner(&halves, epoch.pool)?;
        inner_t.push(t.elapsed());
        let t = Instant::now();
        let proof = split.wrap(&inner, &Default::default())?;
        wrap_t.push(t.elapsed());
        assert!(split.verify(&proof), "the published proof does not verify");
        sizes = (inner.to_bytes().len(), proof.to_bytes().len());
    }
    println!(
        "final {slots}x{dim} ({shards} shards), medians of {ROUNDS}: split node 2^{} {:.2} s \
         ({} bytes, private); zero-knowledge wrapper 2^{} {:.2} s ({} bytes, published)",
        split.inner.common.degree_bits(),
        median(inner_t),
        sizes.0,
        split.data.common.degree_bits(),
        median(wrap_t),
        sizes.1
    );
    Ok(())
}
