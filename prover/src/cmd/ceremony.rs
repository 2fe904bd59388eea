//! `poa ceremony`: a multi-party phase 2 for Groth16 keys, compatible with
//! snarkjs's (`zkey new / contribute / beacon / verify`), and for
//! groth16-cp keys (the same, plus the commitment key's trapdoors).

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use poa_circuits::statement::Shape;
use poa_prover::groth16::ceremony::contribute::{self, format_hash};
use poa_prover::groth16::ceremony::cp::{self, CpKey};
use poa_prover::groth16::ceremony::files::{self, Provenance};
use poa_prover::groth16::ceremony::ptau::Check;
use poa_prover::groth16::ceremony::verify::{self, Verified};
use poa_prover::groth16::ceremony::zkey::Zkey;
use poa_prover::groth16::ceremony::Error;
use serde_json::json;

use crate::output::{Outcome, Ui};

/// How much of phase 1 to check with pairings.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum PtauCheck {
    /// No pairing checks (structure and curve checks only).
    None,
    /// Pairing checks at random positions.
    Sampled,
    /// Pairing checks of every power the circuit uses.
    Full,
}

impl PtauCheck {
    fn check(self) -> Option<Check> {
        match self {
            PtauCheck::None => None,
            PtauCheck::Sampled => Some(Check::Sampled),
            PtauCheck::Full => Some(Check::Full),
        }
    }
}

/// Which keys a ceremony makes.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CeremonyBackend {
    /// Plain Groth16 (snarkjs-compatible).
    Groth16,
    /// Commit-and-prove Groth16 (`docs/groth16-cp.md`).
    #[value(name = "groth16-cp")]
    Groth16Cp,
}

/// A multi-party phase 2 (Groth16 or groth16-cp): init, contribute,
/// beacon, verify, finalize.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Start a ceremony: the circuit's initial parameters from phase 1.
    /// The other subcommands tell the backend from the state file.
    #[command(
        after_help = "Example:\n  poa ceremony init --ptau powersOfTau28_hez_final_18.ptau --shape 16x256 --out c0.ceremony\n  poa ceremony init --backend groth16-cp --ptau powersOfTau28_hez_final_17.ptau --shape 16x256 --out c0.ceremony"
    )]
    Init {
        /// The keys' backend.
        #[arg(long, value_enum, default_value = "groth16")]
        backend: CeremonyBackend,
        /// The phase-1 file (snarkjs `.ptau`, prepared or not).
        #[arg(long)]
        ptau: PathBuf,
        /// The shape NxD.
        #[arg(long)]
        shape: Shape,
        /// The first state file.
        #[arg(long)]
        out: PathBuf,
        /// Pairing checks of phase 1.
        #[arg(long, value_enum, default_value = "sampled")]
        verify_ptau: PtauCheck,
    },
    /// Add a contribution (entropy from the OS, plus --entropy).
    #[command(
        after_help = "Example:\n  poa ceremony contribute --in c0.ceremony --out c1.ceremony --name alice\n\nKeep the printed contribution hash: `poa ceremony verify` lists it."
    )]
    Contribute {
        /// The state before.
        #[arg(long = "in")]
        input: PathBuf,
        /// The state after.
        #[arg(long)]
        out: PathBuf,
        /// A name for the contribution (at most 64 bytes are kept).
        #[arg(long)]
        name: Option<String>,
        /// Extra entropy text, hashed with the OS randomness.
        #[arg(long, default_value = "")]
        entropy: String,
    },
    /// Apply a public random beacon (ends a ceremony).
    #[command(
        after_help = "Example:\n  poa ceremony beacon --in c3.ceremony --out c4.ceremony --beacon 0102…ff --iterations-exp 10\n\nThe beacon value must be unknown before the last contribution (e.g. a future block hash)."
    )]
    Beacon {
        /// The state before.
        #[arg(long = "in")]
        input: PathBuf,
        /// The state after.
        #[arg(long)]
        out: PathBuf,
        /// The beacon value, hex.
        #[arg(long)]
        beacon: String,
        /// 2^N SHA-256 iterations (10 to 63).
        #[arg(long, default_value_t = 10)]
        iterations_exp: u8,
        /// A name for it.
        #[arg(long, default_value = "beacon")]
        name: String,
    },
    /// Verify the whole transcript against phase 1: exit 0 valid, 1 not.
    Verify {
        /// The phase-1 file the ceremony started from.
        #[arg(long)]
        ptau: PathBuf,
        /// The state to verify.
        #[arg(long = "in")]
        input: PathBuf,
    },
    /// Verify, then write the key files `poa prove` and `poa
    /// export-verifier` use.
    Finalize {
        /// The phase-1 file the ceremony started from.
        #[arg(long)]
        ptau: PathBuf,
        /// The last state.
        #[arg(long = "in")]
        input: PathBuf,
        /// The params folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a state as a snarkjs `.zkey` (`snarkjs zkey verify` audits it;
    /// Groth16 ceremonies only).
    #[command(
        after_help = "Then: poa export r1cs --shape NxD --out circuit.r1cs\n      snarkjs zkey verify circuit.r1cs F.ptau out.zkey"
    )]
    ExportZkey {
        /// The state.
        #[arg(long = "in")]
        input: PathBuf,
        /// The `.zkey` file.
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(ui: &Ui, c: &Command) -> Result<Outcome> {
    match c {
        Command::Init {
            backend,
            ptau,
            shape,
            out,
            verify_ptau,
        } => {
            let is_cp = *backend == CeremonyBackend::Groth16Cp;
            ui.progress(format!(
                "ceremony init: {}{shape} from {}",
                if is_cp { "groth16-cp " } else { "" },
                ptau.display()
            ));
            let ptau_hash = say_ptau_hash(ui, ptau)?;
            let (z, key) = if is_cp {
                let (z, key) = cp::initial(ptau, *shape, verify_ptau.check())?;
                (z, Some(key))
            } else {
                (files::initial(ptau, *shape, verify_ptau.check())?, None)
            };
            files::write_any(out, *shape, &z, key.as_ref())?;
            ui.say(format!(
                "initial parameters of {shape} (domain 2^{}{}) written to {}",
                z.domain_size.trailing_zeros(),
                key.as_ref()
                    .map(|k| format!(", groth16-cp: {} committed wires", k.committed.len()))
                    .unwrap_or_default(),
                out.display()
            ));
            ui.say(format!("circuit hash:\n{}", format_hash(&z.cs_hash)));
            ui.emit(&json!({"ok": true, "out": out, "circuitHash": hex::encode(z.cs_hash), "ptauBlake2b": hex::encode(ptau_hash)}));
            Ok(Outcome::Ok)
        }
        Command::Contribute {
            input,
            out,
            name,
            entropy,
        } => step(ui, input, out, |z, key| {
            contribute::contribute_to(z, key, entropy, name.clone())
        }),
        Command::Beacon {
            input,
            out,
            beacon,
            iterations_exp,
            name,
        } => {
            let value = hex::decode(beacon.trim_start_matches("0x"))
                .map_err(|e| anyhow::anyhow!("--beacon is not hex: {e}"))?;
            step(ui, input, out, |z, key| {
                contribute::beacon_to(z, key, &value, *iterations_exp, Some(name.clone()))
            })
        }
        Command::Verify { ptau, input } => {
            let (shape, z, key) = files::read_any_with(input, true)?;
            match check(ui, ptau, input, shape, &z, key.as_ref()) {
                Ok((list, ptau_hash)) => {
                    list_contributions(ui, &list);
                    ui.say(format!(
                        "{}: the transcript is valid ({} contributions)",
                        input.display(),
                        list.len()
                    ));
                    ui.emit(&json!({"ok": true, "valid": true, "contributions": json_list(&list), "transcriptHash": hex::encode(z.transcript_hash()), "circuitHash": hex::encode(z.cs_hash), "shape": shape.to_string(), "ptauBlake2b": hex::encode(ptau_hash)}));
                    Ok(Outcome::Ok)
                }
                Err(e) if e.is_rejection() => {
                    ui.say(format!("INVALID: {e}"));
                    ui.emit(&json!({"ok": true, "valid": false, "reason": e.to_string()}));
                    Ok(Outcome::Rejected)
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::Finalize { ptau, input, out } => {
            let (shape, z, key) = files::read_any_with(input, true)?;
            let (list, ptau_hash) = match check(ui, ptau, input, shape, &z, key.as_ref()) {
                Ok(list) => list,
                Err(e) if e.is_rejection() => {
                    ui.say(format!("INVALID: {e}"));
                    return Ok(Outcome::Rejected);
                }
                Err(e) => return Err(e.into()),
            };
            if let Some(why) = verify::weakness(&list) {
                bail!(
                    "{}: {why}; the keys would be known to everyone (add a contribution)",
                    input.display()
                );
            }
            list_contributions(ui, &list);
            let from = Provenance {
                how: "poa ceremony",
                ptau: Some(ptau),
                ptau_hash: Some(ptau_hash),
                verified: true,
                insecure: None,
            };
            let meta = match &key {
                Some(key) => cp::write_keys(out, shape, &z, key, &from)?,
                None => files::write_keys(out, shape, &z, &from)?,
            };
            ui.say(format!("keys written to {}", out.display()));
            ui.emit(&json!({"ok": true, "setup": meta}));
            Ok(Outcome::Ok)
        }
        Command::ExportZkey { input, out } => {
            let (_, z, key) = files::read_any_with(input, false)?;
            if key.is_some() {
                bail!(
                    "{}: a groth16-cp ceremony: its keys prove a circuit with a commitment and a \
challenge derived from it, which snarkjs's Groth16 cannot prove or verify, so there is no `.zkey` \
of it; `poa ceremony verify` audits it and `poa ceremony finalize` writes its keys",
                    input.display()
                );
            }
            files::write(out, &z.to_bytes())?;
            ui.say(format!(
                "{} written ({} contributions)",
                out.display(),
                z.contributions.len()
            ));
            ui.emit(&json!({"ok": true, "out": out}));
            Ok(Outcome::Ok)
        }
    }
}

fn step(
    ui: &Ui,
    input: &Path,
    out: &Path,
    f: impl FnOnce(&mut Zkey, Option<&mut CpKey>) -> Result<[u8; 64], Error>,
) -> Result<Outcome> {
    let (shape, mut z, mut key) = files::read_any_with(input, false)?;
    let t = std::time::Instant::now();
    let hash = f(&mut z, key.as_mut())?;
    files::write_any(out, shape, &z, key.as_ref())?;
    ui.say(format!(
        "contribution #{} to {shape} written to {} in {:.1} s",
        z.contributions.len(),
        out.display(),
        t.elapsed().as_secs_f64()
    ));
    ui.say(format!("contribution hash:\n{}", format_hash(&hash)));
    ui.emit(&json!({"ok": true, "out": out, "index": z.contributions.len(), "hash": hex::encode(hash), "seconds": t.elapsed().as_secs_f64()}));
    Ok(Outcome::Ok)
}

/// Prints (and returns) the Blake2b-512 of the `.ptau` file, to compare
/// with the published one.
pub fn say_ptau_hash(ui: &Ui, ptau: &Path) -> Result<[u8; 64], Error> {
    let h = files::file_hash(ptau)?;
    ui.say(format!(
        "{} Blake2b-512 (compare with the published hash):\n{}",
        ptau.display(),
        format_hash(&h)
    ));
    Ok(h)
}

/// The contribution chain (cheap), then the whole transcript against phase
/// 1 (every power checked), and for groth16-cp (`key`) the commitment key;
/// the list and the `.ptau`'s Blake2b-512.
fn check(
    ui: &Ui,
    ptau: &Path,
    input: &Path,
    shape: Shape,
    z: &Zkey,
    key: Option<&CpKey>,
) -> Result<(Vec<Verified>, [u8; 64]), Error> {
    ui.say(format!(
        "{}: shape {shape} (domain 2^{}), circuit hash:\n{}",
        input.display(),
        z.domain_size.trailing_zeros(),
        format_hash(&z.cs_hash)
    ));
    ui.progress("checking the contribution chain");
    verify::verify_chain_with(z, key, input)?;
    let ptau_hash = say_ptau_hash(ui, ptau)?;
    ui.progress(format!(
        "recomputing the initial parameters of {shape} from {}",
        ptau.display()
    ));
    let mut rng = poa_prover::rng(None).map_err(|e| Error::Randomness(e.to_string()))?;
    let list = match key {
        Some(key) => {
            let (init, init_key) = cp::initial_for(ptau, shape, Some(Check::Full), z, input)?;
            ui.progress("checking the contributions and the commitment key");
            cp::verify(z, key, &init, &init_key, input, &mut rng)?
        }
        None => {
            let init = files::initial_for(ptau, shape, Some(Check::Full), z, input)?;
            ui.progress("checking the contributions");
            verify::verify(z, &init, input, &mut rng)?
        }
    };
    Ok((list, ptau_hash))
}

fn list_contributions(ui: &Ui, list: &[Verified]) {
    for v in list {
        let kind = match &v.beacon {
            Some((e, h)) => format!(" beacon {} (2^{e} iterations)", hex::encode(h)),
            None => String::new(),
        };
        ui.say(format!(
            "contribution #{} {}{kind}:\n{}",
            v.index,
            v.name.as_deref().unwrap_or("(no name)"),
            format_hash(&v.hash)
        ));
    }
}

fn json_list(list: &[Verified]) -> Vec<serde_json::Value> {
    list.iter()
        .map(|v| json!({"index": v.index, "name": v.name, "hash": hex::encode(v.hash), "beacon": v.beacon.as_ref().map(|(e, h)| json!({"value": hex::encode(h), "iterationsExp": e}))}))
        .collect()
}
