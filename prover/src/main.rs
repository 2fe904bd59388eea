//! `poa`: commit, attribute, prove and audit proof-of-attribution epochs.

mod cmd;
mod output;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use output::{Outcome, Ui};

const EXAMPLES: &str = "\
Examples:
  poa demo                                        train, prove, settle and claim on embedded real data
  poa attribute --epoch epoch.json --out claim.json --report scores.json
  poa attribute --backend plonky2 --epoch epoch.json --out claim.json   also the Goldilocks Q and V
  poa claim check --claim claim.json              recompute γ, h and the sums of a claim
  poa inclusion --epoch epoch.json --slot 2 --out slot2.json
  poa dataset commit data.jsonl --new-salt salt.txt
  poa dataset commit data.jsonl --salt-file salt.txt --json
  poa dataset prove-record data.jsonl --index 7 --out record7.json
  poa fingerprint quantize --scale-exp 12 grads.npy update.npy
  poa setup --shape 4x5 --out params/4x5 --insecure-single-party
  poa prove --params params/4x5 --epoch epoch.json --out proof.json
  poa verify --params params/4x5 --claim claim.json --proof proof.json
  poa bench --shape 64x1024 --threads 2
  poa bench-quality --seeds 50 --contributors 50 --figures docs/quality   attribution quality
  poa audit --params params/4x5 --claim claim.json --proof proof.json --inclusion slot2.json \
            --data mydata.jsonl --salt-file salt.txt
  poa inclusion --backend plonky2 --epoch epoch.json --slot 2 --out slot2.json
  poa audit --backend plonky2 --params params/p2 --claim claim.json --proof proof.json \
            --inclusion slot2.json --commitment 0x1234…
  poa export-verifier --params params/4x5 --out contracts/build/PoaGroth16Verifier.sol
  poa ceremony init --ptau powersOfTau28_hez_final_18.ptau --shape 16x256 --out c0.ceremony
  poa ceremony contribute --in c0.ceremony --out c1.ceremony --name alice
  poa ceremony finalize --ptau powersOfTau28_hez_final_18.ptau --in c3.ceremony --out params/16x256
  poa export r1cs --shape 16x256 --out circuit.r1cs
  poa import zkey final.zkey --shape 16x256 --ptau pot.ptau --out params/16x256
  poa chain deploy --rpc-url http://127.0.0.1:8545 --private-key-env KEY --params params/4x5
  poa chain status --rpc-url http://127.0.0.1:8545 --model 1 --epoch 1

Exit codes: 0 ok, 1 rejected or invalid, 2 usage or input error.";

/// Zero-knowledge proof of attribution: prove that every contributor's score
/// and share of the revenue were computed as SPEC v1 says.
#[derive(Parser)]
#[command(name = "poa", version, after_help = EXAMPLES)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// Options of every command.
#[derive(Args, Clone)]
struct Global {
    /// Machine-readable JSON on stdout.
    #[arg(long, global = true)]
    json: bool,
    /// Worker threads (0 = one per core).
    #[arg(long, global = true, default_value_t = 0)]
    threads: usize,
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more detail.
    #[arg(short, long, global = true)]
    verbose: bool,
}

/// The commands; each module in `cmd` owns its arguments.
#[derive(Subcommand)]
enum Command {
    /// The whole pipeline on real data shipped with the tool (red-wine
    /// quality): train, fingerprint, commit, attribute, Groth16 setup, prove
    /// and verify, audit, then settle and claim on an in-process EVM (or,
    /// with --rpc-url, on that node); and the
    /// attribution quality against leave-one-out retraining.
    #[command(
        after_help = "Needs the pinned solc (`npm ci --prefix contracts`; scripts/demo.sh runs it).\n\nExamples:\n  poa demo\n  poa demo --json | jq .spearman\n  POA_KEY=0xac09…ff80 poa demo --rpc-url http://127.0.0.1:8545 --private-key-env POA_KEY"
    )]
    Demo(cmd::demo::Args),
    Attribute(cmd::attribute::Args),
    /// Claim files.
    #[command(subcommand)]
    Claim(cmd::claim::Command),
    Inclusion(cmd::inclusion::Args),
    /// Dataset commitments (SPEC §7).
    #[command(subcommand)]
    Dataset(cmd::dataset::DatasetCommand),
    /// Fingerprints.
    #[command(subcommand)]
    Fingerprint(cmd::fingerprint::Command),
    Setup(cmd::setup::Args),
    Prove(cmd::prove::Args),
    ExportVerifier(cmd::export_verifier::Args),
    Audit(cmd::audit::Args),
    /// Export keys and proofs for other tools.
    #[command(subcommand)]
    Export(cmd::export::Command),
    Bench(cmd::bench::Args),
    BenchQuality(cmd::bench_quality::Args),
    Verify(cmd::verify::Args),
    /// A multi-party Groth16 phase 2 (production keys).
    #[command(subcommand)]
    Ceremony(cmd::ceremony::Command),
    /// Import keys made by other tools.
    #[command(subcommand)]
    Import(cmd::import::Command),
    /// An epoch on a real chain over JSON-RPC: deploy, register, commit,
    /// deposit, close, settle, claim, refund, status.
    #[command(subcommand)]
    Chain(cmd::chain::Command),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    poa_circuits::parallel::set_threads(cli.global.threads);
    let ui = Ui::new(cli.global.json, cli.global.quiet, cli.global.verbose);
    let result = match cli.command {
        Command::Demo(a) => cmd::demo::run(&ui, &a),
        Command::Attribute(a) => cmd::attribute::run(&ui, &a),
        Command::Claim(c) => cmd::claim::run(&ui, &c),
        Command::Inclusion(a) => cmd::inclusion::run(&ui, &a),
        Command::Dataset(c) => cmd::dataset::run(&ui, c),
        Command::Fingerprint(c) => cmd::fingerprint::run(&ui, &c),
        Command::Setup(a) => cmd::setup::run(&ui, &a),
        Command::Prove(a) => cmd::prove::run(&ui, &a),
        Command::ExportVerifier(a) => cmd::export_verifier::run(&ui, &a),
        Command::Audit(a) => cmd::audit::run(&ui, &a),
        Command::Export(c) => cmd::export::run(&ui, &c),
        Command::Bench(a) => cmd::bench::run(&ui, &a),
        Command::BenchQuality(a) => cmd::bench_quality::run(&ui, &a),
        Command::Verify(a) => cmd::verify::run(&ui, &a),
        Command::Ceremony(c) => cmd::ceremony::run(&ui, &c),
        Command::Import(c) => cmd::import::run(&ui, &c),
        Command::Chain(c) => cmd::chain::run(&ui, &c),
    };
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Rejected) => ExitCode::from(1),
        Err(e) => {
            ui.error(&e);
            ExitCode::from(2)
        }
    }
}
