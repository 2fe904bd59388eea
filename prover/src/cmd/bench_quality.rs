//! `poa bench-quality`: attribution quality against ground truths that can
//! disagree with it, over many seeds (issue 19; the experiment is
//! `poa_prover::demo::quality`).

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;
use poa_prover::demo::model::Lambda;
use poa_prover::demo::quality::{self, Config};
use poa_prover::demo::stats::Summary;

use crate::output::{Outcome, Ui};

/// How λ is chosen, both by loss on the validation rows only.
#[derive(clap::ValueEnum, Clone, Copy)]
pub enum Rule {
    /// The largest λ within one standard error of the least loss.
    OneSe,
    /// The least loss.
    Min,
}

/// Measure attribution quality on real data: 50+ graded contributors over
/// many seeds, leave-one-out on V and on held-out T, baselines, LDS,
/// Banzhaf, exact Shapley (small n) and a duplicate/Sybil experiment.
#[derive(clap::Args)]
#[command(
    after_help = "Exit 0 whatever the goals say: the table reports them.\n\nExamples:\n  poa bench-quality --seeds 50 --contributors 50 --threads 2 --figures docs/quality\n  poa bench-quality --seeds 4 --contributors 20 --shapley-seeds 1 --json"
)]
pub struct Args {
    /// Seeds of the main experiment.
    #[arg(long, default_value_t = 50)]
    seeds: usize,
    /// The first seed.
    #[arg(long, default_value_t = 1)]
    first_seed: u64,
    /// Contributors of the main experiment (a seventh of them copies).
    #[arg(long, default_value_t = 50)]
    contributors: usize,
    /// Random half-subsets of the linear datamodeling score.
    #[arg(long, default_value_t = 100)]
    lds_subsets: usize,
    /// Random subsets of the Banzhaf estimate.
    #[arg(long, default_value_t = 200)]
    banzhaf_samples: usize,
    /// Seeds (the first) that also run the λ curve (a full leave-one-out per λ).
    #[arg(long, default_value_t = 10)]
    curve_seeds: usize,
    /// Seeds (the first) that also run the duplicate/Sybil experiment.
    #[arg(long, default_value_t = 10)]
    sybil_seeds: usize,
    /// Extra identities of the duplicate experiment: 0 ..= this.
    #[arg(long, default_value_t = 4)]
    sybil_max: usize,
    /// Seeds of the exact-Shapley experiment.
    #[arg(long, default_value_t = 10)]
    shapley_seeds: usize,
    /// Contributors of the exact-Shapley experiment (2^n retrainings, ≤ 16).
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u8).range(2..=16))]
    shapley_contributors: u8,
    /// How λ is chosen from the validation loss.
    #[arg(long, value_enum, default_value_t = Rule::OneSe)]
    lambda_rule: Rule,
    /// Write the figures (PNG) into this folder.
    #[arg(long)]
    figures: Option<PathBuf>,
}

fn cell(s: &Option<Summary>) -> String {
    match s {
        Some(s) => format!("{:>6.3} {:>6.3}", s.median.value, s.p5.value),
        None => format!("{:>6} {:>6}", "-", "-"),
    }
}

fn interval(s: &Option<Summary>) -> String {
    match s {
        Some(s) => format!(
            "{:>7.3} [{:.3}, {:.3}]  {:>7.3} [{:.3}, {:.3}]",
            s.median.value, s.median.lo, s.median.hi, s.p5.value, s.p5.lo, s.p5.hi
        ),
        None => "undefined".into(),
    }
}

pub fn run(ui: &Ui, a: &Args) -> Result<Outcome> {
    let cfg = Config {
        seeds: a.seeds,
        first_seed: a.first_seed,
        contributors: a.contributors,
        lds_subsets: a.lds_subsets,
        banzhaf_samples: a.banzhaf_samples,
        curve_seeds: a.curve_seeds.min(a.seeds),
        sybil_seeds: a.sybil_seeds.min(a.seeds),
        sybil_max: a.sybil_max,
        shapley_seeds: a.shapley_seeds,
        shapley_contributors: usize::from(a.shapley_contributors),
        lambda: match a.lambda_rule {
            Rule::OneSe => Lambda::OneSe,
            Rule::Min => Lambda::Min,
        },
    };
    let t = Instant::now();
    let bar = ui.bar((cfg.seeds + cfg.shapley_seeds) as u64, "seeds");
    let report = quality::run(&cfg, |_| bar.inc(1))?;
    bar.finish_and_clear();
    let seconds = t.elapsed().as_secs_f64();

    ui.say(format!(
        "{} contributors × {} seeds (first {}), λ by {:?} on the loss on V; {} threads; {:.1} s",
        cfg.contributors,
        cfg.seeds,
        cfg.first_seed,
        cfg.lambda,
        poa_circuits::parallel::current_threads(),
        seconds
    ));
    ui.say("median and 5th percentile over seeds, each with a 95 % bootstrap interval:");
    for l in &report.lines {
        ui.say(format!("  {:<38} {}", l.name, interval(&l.summary)));
    }
    ui.say(format!(
        "methods (median, 5th percentile) vs ground truths ({} half-subsets for LDS, {} Banzhaf samples):",
        cfg.lds_subsets, cfg.banzhaf_samples
    ));
    ui.say(format!(
        "  {:<14} {:>13}  {:>13}  {:>13}  {:>13}  {:>13}",
        "method", "ρ LOO on V", "ρ LOO on T", "LDS on V", "LDS on T", "ρ Banzhaf V"
    ));
    for m in &report.methods {
        ui.say(format!(
            "  {:<14} {}  {}  {}  {}  {}",
            m.name,
            cell(&m.loo_v),
            cell(&m.loo_t),
            cell(&m.lds_v),
            cell(&m.lds_t),
            cell(&m.banzhaf_v)
        ));
    }
    if !report.shapley.is_empty() && cfg.shapley_seeds > 0 {
        ui.say(format!(
            "exact Shapley, {} contributors × {} seeds:",
            cfg.shapley_contributors, cfg.shapley_seeds
        ));
        for l in &report.shapley {
            ui.say(format!("  {:<38} {}", l.name, interval(&l.summary)));
        }
    }
    if !report.curve.is_empty() {
        ui.say(format!(
            "λ curve (medians over {} seeds): λ, loss on V, loss on T, fidelity, value, ceiling",
            cfg.curve_seeds
        ));
        for p in &report.curve {
            ui.say(format!(
                "  {:>8} {:>7.4} {:>7.4} {:>7.3} {:>7.3} {:>7.3}",
                p.lambda, p.validation_loss, p.test_loss, p.fidelity, p.value, p.ceiling
            ));
        }
    }
    if !report.sybil.is_empty() {
        ui.say(format!(
            "owner's pool share (%), median over {} seeds, k = 0 … {} extra identities:",
            cfg.sybil_seeds, cfg.sybil_max
        ));
        for attack in quality::ATTACKS {
            for defence in quality::DEFENCES {
                let row: Vec<String> = report
                    .sybil
                    .iter()
                    .filter(|s| s.attack == attack && s.defence == defence)
                    .map(|s| format!("{:>6.2}", s.median * 100.0))
                    .collect();
                let grouped: usize = report
                    .sybil
                    .iter()
                    .filter(|s| s.attack == attack && s.defence == defence)
                    .map(|s| s.honest_grouped)
                    .sum();
                ui.say(format!(
                    "  {:<24} {:<27} {}{}",
                    attack.to_string(),
                    defence.to_string(),
                    row.join(" "),
                    if grouped > 0 {
                        format!("  ({grouped} honest grouped)")
                    } else {
                        String::new()
                    }
                ));
            }
        }
    }
    ui.say("goals (issue 19):");
    for g in &report.goals {
        ui.say(format!(
            "  [{}] {}: {}",
            if g.met { "met" } else { "NOT MET" },
            g.goal,
            g.measured
        ));
    }
    let mut figures = Vec::new();
    if let Some(dir) = &a.figures {
        figures = poa_prover::demo::plot::figures(&report, dir)?;
        for f in &figures {
            ui.say(format!("figure: {}", f.display()));
        }
    }
    ui.emit(&serde_json::json!({
        "seconds": seconds,
        "threads": poa_circuits::parallel::current_threads(),
        "figures": figures,
        "report": report,
    }));
    Ok(Outcome::Ok)
}
