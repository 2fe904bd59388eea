//! `poa`: commit, attribute, prove and audit proof-of-attribution epochs.

mod cmd;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use poa_circuits::statement::Shape;

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
  poa audit --params params/4x5 --claim claim.json --proof proof.json --inclusion slot2.json \
            --data mydata.jsonl --salt-file salt.txt
  poa inclusion --backend plonky2 --epoch epoch.json --slot 2 --out slot2.json
  poa audit --backend plonky2 --params params/p2 --claim claim.json --proof proof.json \
            --inclusion slot2.json --commitment 0x1234…
  poa export-verifier --params params/4x5 --out contracts/build/PoaGroth16Verifier.sol

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

#[derive(Subcommand)]
enum Command {
    /// The whole pipeline on real data shipped with the tool (red-wine
    /// quality): train, fingerprint, commit, attribute, Groth16 setup, prove
    /// and verify, audit, then settle and claim on an in-process EVM; and the
    /// attribution quality against leave-one-out retraining.
    #[command(
        after_help = "Needs the pinned solc (`npm ci --prefix contracts`; scripts/demo.sh runs it).\n\nExamples:\n  poa demo\n  poa demo --json | jq .spearman"
    )]
    Demo,
    /// Compute commitments, scores and payouts of an epoch; write the claim.
    #[command(
        after_help = "The claim holds only public values; scores go to --report, which stays private.\n\
With --backend plonky2 the claim also carries the Goldilocks Q and V, which a plonky2 proof \
must publish (publish them before revenue, like Q and V)."
    )]
    Attribute {
        /// The backend the claim is for: plonky2 adds the Goldilocks Q and V
        /// (groth16 and halo2 share the BN254 ones, always in the claim).
        #[arg(long, value_enum, default_value = "groth16")]
        backend: cmd::proof::Backend,
        /// The epoch file (the trainer's private witness).
        #[arg(long)]
        epoch: PathBuf,
        /// Where to write the claim.
        #[arg(long)]
        out: PathBuf,
        /// Where to write the private report (scores, update commitments).
        #[arg(long)]
        report: Option<PathBuf>,
    },
    /// Claim files.
    #[command(subcommand)]
    Claim(ClaimCommand),
    /// Write the Merkle path of one slot under Q, for its contributor.
    #[command(
        after_help = "Example:\n  poa inclusion --epoch epoch.json --slot 2 --out slot2.json\n  \
poa inclusion --backend plonky2 --epoch epoch.json --slot 2 --out slot2.json   (under the Goldilocks Q)"
    )]
    Inclusion {
        /// plonky2: the path under the Goldilocks Q (leaves Hash(limbs(D_c) ‖ U_c)).
        #[arg(long, value_enum, default_value = "groth16")]
        backend: cmd::proof::Backend,
        /// The epoch file.
        #[arg(long)]
        epoch: PathBuf,
        /// The slot, 0 … n-1.
        #[arg(long)]
        slot: usize,
        /// Where to write the path.
        #[arg(long)]
        out: PathBuf,
    },
    /// Dataset commitments (SPEC §7).
    #[command(subcommand)]
    Dataset(cmd::dataset::DatasetCommand),
    /// Fingerprints.
    #[command(subcommand)]
    Fingerprint(FingerprintCommand),
    /// Make the proving and verifying keys of a shape.
    #[command(
        after_help = "Example:\n  poa setup --shape 16x256 --out params/16x256 --insecure-single-party\n\nThe setup is single-party: whoever ran it can forge proofs. Use it for development only."
    )]
    Setup {
        /// Proving backend.
        #[arg(long, value_enum, default_value = "groth16")]
        backend: cmd::proof::Backend,
        /// The shape NxD (slots x dimension), e.g. 64x1024.
        #[arg(long)]
        shape: Shape,
        /// Folder for the keys.
        #[arg(long)]
        out: PathBuf,
        /// Acknowledge that a single-party setup lets whoever runs it forge proofs.
        #[arg(long)]
        insecure_single_party: bool,
        /// 32-byte hex seed for a reproducible (insecure) setup.
        #[arg(long, requires = "insecure_single_party")]
        seed: Option<String>,
        /// halo2: an SRS file (halo2's raw ParamsKZG format, as Axiom and PSE
        /// publish powers of tau), cut to the shape's k.
        #[arg(long, conflicts_with = "insecure_single_party")]
        srs: Option<PathBuf>,
        /// plonky2: shards (a power of two, 2 … N).
        #[arg(long, default_value_t = 2)]
        shards: usize,
    },
    /// Prove an epoch.
    #[command(
        after_help = "Example:\n  poa prove --params params/16x256 --epoch epoch.json --out proof.json --threads 2"
    )]
    Prove {
        /// Proving backend.
        #[arg(long, value_enum, default_value = "groth16")]
        backend: cmd::proof::Backend,
        /// Folder with the keys from `poa setup`.
        #[arg(long)]
        params: PathBuf,
        /// The epoch file.
        #[arg(long)]
        epoch: PathBuf,
        /// Where to write the proof.
        #[arg(long)]
        out: PathBuf,
        /// plonky2: shards proven at once (bounds memory).
        #[arg(long, default_value_t = 2)]
        in_flight: usize,
        /// plonky2: the shard count, checked against the one set up.
        #[arg(long)]
        shards: Option<usize>,
    },
    /// Write the Solidity verifier of a verifying key (and IPoaVerifier.sol beside it).
    #[command(
        after_help = "Compile with contracts/compile.js (solc 0.8.28 pinned, EVM version paris).\n\nExample:\n  poa export-verifier --params params/16x256 --out build/PoaGroth16Verifier.sol"
    )]
    ExportVerifier {
        /// Proving backend.
        #[arg(long, value_enum, default_value = "groth16")]
        backend: cmd::proof::Backend,
        /// Folder with the verifying key.
        #[arg(long)]
        params: PathBuf,
        /// The Solidity file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// A contributor's audit: your dataset is under Q, listed in the claim,
    /// and the proof verifies for the claim (exit 0), or which check failed (exit 1).
    #[command(after_help = "Needs only public files and your own secrets: \
poa audit --params P --claim claim.json --proof proof.json --inclusion slot2.json --data mydata.jsonl --salt-file salt.txt\n\
With --backend plonky2 the path is the one under the claim's Goldilocks Q (`poa inclusion --backend plonky2`).")]
    Audit(cmd::audit::AuditArgs),
    /// Export keys and proofs for other tools.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Measure setup, synthesis, prove and verify of one shape (synthetic epoch).
    #[command(after_help = "Example:\n  poa bench --shape 64x1024 --threads 2 --json")]
    Bench {
        /// Proving backend.
        #[arg(long, value_enum, default_value = "groth16")]
        backend: cmd::proof::Backend,
        /// The shape NxD.
        #[arg(long)]
        shape: Shape,
        /// plonky2: shards (a power of two, 2 … N).
        #[arg(long, default_value_t = 2)]
        shards: usize,
        /// plonky2: shards proven at once (bounds memory).
        #[arg(long, default_value_t = 2)]
        in_flight: usize,
    },
    /// Verify a proof for a claim: exit 0 valid, 1 rejected.
    #[command(
        after_help = "The public inputs are recomputed from the claim, never read from the proof file: [Q, V, pool, γ, h] (Groth16, halo2), or the Goldilocks Q and V, pool, datasets and payouts (plonky2).\n\nExample:\n  poa verify --params params/16x256 --claim claim.json --proof proof.json"
    )]
    Verify {
        /// Proving backend.
        #[arg(long, value_enum, default_value = "groth16")]
        backend: cmd::proof::Backend,
        #[command(flatten)]
        files: cmd::proof::PublicFiles,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// snarkjs's verification_key.json, proof.json and public.json (public
    /// inputs recomputed from the claim).
    #[command(
        after_help = "Then: snarkjs groth16 verify DIR2/verification_key.json DIR2/public.json DIR2/proof.json"
    )]
    Snarkjs {
        #[command(flatten)]
        files: cmd::proof::PublicFiles,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum ClaimCommand {
    /// Recompute γ, h and the public inputs of a claim and check its sums.
    #[command(after_help = "Example:\n  poa claim check --claim claim.json --json")]
    Check {
        /// The claim file.
        #[arg(long)]
        claim: PathBuf,
    },
}

#[derive(Subcommand)]
enum FingerprintCommand {
    /// Quantize a float vector to int16: clamp(round(f · 2^K)), half away from zero.
    #[command(after_help = "IN: a JSON array of numbers or a .npy (<f4, <f8). \
OUT: .npy (<i2), .json (array) or anything else (raw little-endian int16).")]
    Quantize {
        /// The scale exponent K (record it with the epoch).
        #[arg(long, allow_negative_numbers = true)]
        scale_exp: i32,
        /// Input floats.
        input: PathBuf,
        /// Output int16 vector.
        output: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    poa_circuits::parallel::set_threads(cli.global.threads);
    let ui = Ui::new(cli.global.json, cli.global.quiet, cli.global.verbose);
    let result = match cli.command {
        Command::Demo => cmd::demo::run(&ui),
        Command::Attribute {
            backend,
            epoch,
            out,
            report,
        } => cmd::attribute::attribute(&ui, &epoch, &out, report.as_deref(), backend),
        Command::Claim(ClaimCommand::Check { claim }) => cmd::attribute::check(&ui, &claim),
        Command::Inclusion {
            backend,
            epoch,
            slot,
            out,
        } => cmd::attribute::inclusion(&ui, &epoch, slot, &out, backend),
        Command::Dataset(c) => cmd::dataset::run(&ui, c),
        Command::Fingerprint(FingerprintCommand::Quantize {
            scale_exp,
            input,
            output,
        }) => cmd::fingerprint::quantize(&ui, scale_exp, &input, &output),
        Command::Setup {
            backend: cmd::proof::Backend::Plonky2,
            shape,
            out,
            shards,
            ..
        } => cmd::plonky2::setup(&ui, shape, shards, &out),
        Command::Prove {
            backend: cmd::proof::Backend::Plonky2,
            params,
            epoch,
            out,
            in_flight,
            shards,
        } => cmd::plonky2::prove(&ui, &params, &epoch, &out, shards, in_flight),
        Command::Verify {
            backend: cmd::proof::Backend::Plonky2,
            files,
        } => cmd::plonky2::verify(&ui, &files),
        Command::Setup {
            backend,
            shape,
            out,
            insecure_single_party,
            seed,
            srs,
            ..
        } => cmd::proof::setup(
            &ui,
            backend,
            shape,
            &out,
            insecure_single_party,
            seed,
            srs.as_deref(),
        ),
        Command::Prove {
            backend: cmd::proof::Backend::Halo2,
            params,
            epoch,
            out,
            ..
        } => cmd::halo2::prove(&ui, &params, &epoch, &out),
        Command::Prove {
            params, epoch, out, ..
        } => cmd::proof::prove(&ui, &params, &epoch, &out),
        Command::Export(ExportCommand::Snarkjs { files, out }) => {
            cmd::proof::export_snarkjs(&ui, &files, &out)
        }
        Command::Audit(args) => cmd::audit::run(&ui, &args),
        Command::ExportVerifier {
            backend: cmd::proof::Backend::Plonky2,
            ..
        } => Err(anyhow::anyhow!(
            "plonky2 has no EVM verifier: its proofs are verified off chain (poa verify --backend plonky2)"
        )),
        Command::Bench {
            backend: cmd::proof::Backend::Plonky2,
            shape,
            shards,
            in_flight,
        } => cmd::plonky2::bench(&ui, shape, shards, in_flight),
        Command::ExportVerifier {
            backend: cmd::proof::Backend::Halo2,
            params,
            out,
        } => cmd::halo2::export_verifier(&ui, &params, &out),
        Command::ExportVerifier { params, out, .. } => {
            cmd::proof::export_verifier(&ui, &params, &out)
        }
        Command::Bench {
            backend: cmd::proof::Backend::Halo2,
            shape,
            ..
        } => cmd::halo2::bench(&ui, shape),
        Command::Bench { shape, .. } => cmd::bench::run(&ui, shape),
        Command::Verify {
            backend: cmd::proof::Backend::Halo2,
            files,
        } => cmd::halo2::verify(&ui, &files),
        Command::Verify { files, .. } => cmd::proof::verify(&ui, &files),
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
