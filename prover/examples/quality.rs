//! Attribution quality of the demo's scenario for one seed: each
//! contributor's proven score, its float counterpart and the leave-one-out
//! gains on `V` and `T`, and Spearman's correlations (λ is chosen by
//! validation loss, never by these).
//!
//! `cargo run --release -p poa-prover --example quality -- [SEED] [min|one-se]`

use poa_circuits::public::Context;
use poa_prover::demo::model::Lambda;
use poa_prover::demo::{spearman, Scenario};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seed: u64 = match std::env::args().nth(1) {
        Some(s) => s.parse()?,
        None => 1,
    };
    let rule = match std::env::args().nth(2).as_deref() {
        Some("min") => Lambda::Min,
        _ => Lambda::OneSe,
    };
    let s = Scenario::build(seed, rule)?;
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
            "{c:>2} {:<36} score {:>12} float {:>+9.6} loo V {:>+9.6} loo T {:>+9.6}",
            k.kind.to_string(),
            att.scores[c],
            float,
            loo.validation[c],
            loo.test[c]
        );
    }
    println!("V loss per λ {:?}", s.fit.lambda_losses);
    let scores: Vec<f64> = att.scores.iter().map(|&x| x as f64).collect();
    println!(
        "λ {} ({rule:?} on the loss on V); fidelity {:.3}, value {:.3}, ceiling {:.3}",
        s.fit.lambda,
        spearman(&scores, &loo.validation).unwrap_or(f64::NAN),
        spearman(&scores, &loo.test).unwrap_or(f64::NAN),
        spearman(&loo.validation, &loo.test).unwrap_or(f64::NAN)
    );
    Ok(())
}
