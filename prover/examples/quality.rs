//! Attribution quality of the demo's scenario for one seed: each
//! contributor's proven score, its float counterpart and the leave-one-out
//! gain, and Spearman's correlation (how `demo::model::LAMBDA` was chosen).
//!
//! `cargo run --release -p poa-prover --example quality -- [SEED]`

use poa_circuits::public::Context;
use poa_prover::demo::{spearman, Scenario};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seed: u64 = match std::env::args().nth(1) {
        Some(s) => s.parse()?,
        None => 1,
    };
    let s = Scenario::build(seed)?;
    let att = s.epoch(16, 1 << 64, Context::default())?.attribute()?;
    let loo = s.leave_one_out(|| {})?;
    println!(
        "seed {seed}: {} parameters, validation loss {:.4}",
        s.theta.len(),
        s.validation_loss
    );
    for (c, k) in s.contributors.iter().enumerate() {
        let float: f64 = k
            .influence
            .iter()
            .zip(&s.direction)
            .map(|(a, b)| a * b)
            .sum();
        println!(
            "{c:>2} {:<36} score {:>12} float {:>+9.6} loo {:>+9.6}",
            k.kind.to_string(),
            att.scores[c],
            float,
            loo[c]
        );
    }
    let scores: Vec<f64> = att.scores.iter().map(|&x| x as f64).collect();
    println!(
        "spearman {:.3}",
        spearman(&scores, &loo).unwrap_or(f64::NAN)
    );
    Ok(())
}
