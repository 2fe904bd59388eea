//! `poa dataset commit` and `poa dataset prove-record` (SPEC §7).

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use poa_circuits::dataset::{parse_files, Dataset};
use poa_circuits::field::{fr_to_decimal, modulus};
use poa_circuits::formats::{pretty, InclusionFile};
use poa_circuits::Fr;
use poa_prover::files::write_atomic;
use serde_json::json;

use crate::output::{Outcome, Ui};

#[derive(Subcommand)]
pub enum DatasetCommand {
    /// Commit to a dataset: H_3(R, record_count, salt).
    #[command(
        after_help = "Records are the non-empty lines of each file (JSONL, CSV: a header \
line is a record too), in the order given, or whole files with --whole-files. \
The salt is secret: keep it to audit your payouts later."
    )]
    Commit {
        #[command(flatten)]
        records: Records,
        #[command(flatten)]
        salt: SaltArgs,
        /// Also write the result as JSON to this file.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write the inclusion path of one record under the dataset's root R.
    ProveRecord {
        #[command(flatten)]
        records: Records,
        /// The record's index, 0-based, in commit order.
        #[arg(long)]
        index: usize,
        /// Where to write the path.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Args)]
pub struct Records {
    /// JSONL/CSV files (or any files with --whole-files).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Each file is one record, instead of each line.
    #[arg(long)]
    whole_files: bool,
}

#[derive(Args)]
#[group(required = true, multiple = false)]
pub struct SaltArgs {
    /// The salt, in hex (0x optional).
    #[arg(long)]
    salt: Option<String>,
    /// A file holding the salt in hex (0x optional).
    #[arg(long)]
    salt_file: Option<PathBuf>,
    /// Draw a fresh random salt and write it (hex) to this new file.
    #[arg(long)]
    new_salt: Option<PathBuf>,
}

/// Parses a salt in hex, `0x` optional; it must be below r.
pub fn parse_salt_hex(text: &str) -> Result<Fr> {
    let t = text.trim();
    let digits = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .unwrap_or(t);
    let value = num_bigint::BigUint::parse_bytes(digits.as_bytes(), 16)
        .with_context(|| format!("salt `{t}` is not hex"))?;
    if value >= modulus() {
        bail!("salt `{t}` is not below the BN254 scalar field modulus r");
    }
    Ok(Fr::from(value))
}

impl SaltArgs {
    fn resolve(&self) -> Result<Fr> {
        if let Some(s) = &self.salt {
            return parse_salt_hex(s);
        }
        if let Some(p) = &self.salt_file {
            let text = std::fs::read_to_string(p).with_context(|| format!("{}", p.display()))?;
            return parse_salt_hex(&text).with_context(|| format!("{}", p.display()));
        }
        if let Some(p) = &self.new_salt {
            if p.exists() {
                bail!(
                    "{}: already exists; refusing to overwrite a salt",
                    p.display()
                );
            }
            // 31 random bytes are below r.
            let mut bytes = [0u8; 31];
            getrandom::getrandom(&mut bytes)
                .map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
            write_atomic(p, format!("0x{}\n", hex::encode(bytes)).as_bytes())?;
            return parse_salt_hex(&hex::encode(bytes));
        }
        bail!("one of --salt, --salt-file or --new-salt is needed")
    }
}

fn load(records: &Records) -> Result<Dataset> {
    load_paths(&records.paths, records.whole_files)
}

/// The dataset of `paths`: their non-empty lines, or whole files.
pub fn load_paths(paths_in: &[PathBuf], whole_files: bool) -> Result<Dataset> {
    let records = Records {
        paths: paths_in.to_vec(),
        whole_files,
    };
    let mut contents = Vec::with_capacity(records.paths.len());
    for p in &records.paths {
        contents.push(std::fs::read(p).with_context(|| format!("{}", p.display()))?);
    }
    parse_files(&contents, records.whole_files).with_context(|| paths(&records.paths))
}

fn paths(p: &[PathBuf]) -> String {
    p.iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn run(ui: &Ui, command: DatasetCommand) -> Result<Outcome> {
    match command {
        DatasetCommand::Commit { records, salt, out } => {
            let dataset = load(&records)?;
            let salt = salt.resolve()?;
            let commitment = dataset.commitment(salt);
            let result = json!({
                "commitment": fr_to_decimal(&commitment),
                "commitmentHex": format!("0x{}", hex::encode(poa_circuits::field::fr_to_be_bytes(&commitment))),
                "root": fr_to_decimal(&dataset.root),
                "records": dataset.record_hashes.len(),
            });
            if let Some(out) = out {
                write_atomic(&out, pretty(&result).as_bytes())?;
            }
            ui.say(format!("records:    {}", dataset.record_hashes.len()));
            ui.say(format!("root R:     {}", fr_to_decimal(&dataset.root)));
            ui.say(format!("commitment: {}", fr_to_decimal(&commitment)));
            ui.emit(&json!({ "ok": true, "dataset": result }));
            Ok(Outcome::Ok)
        }
        DatasetCommand::ProveRecord {
            records,
            index,
            out,
        } => {
            let dataset = load(&records)?;
            let path = dataset
                .record_path(index)
                .with_context(|| paths(&records.paths))?;
            let hash = dataset.record_hashes[index];
            let file = InclusionFile::new("record", hash, &[], &path, dataset.root);
            write_atomic(&out, pretty(&file).as_bytes())?;
            ui.say(format!(
                "record {index} of {} under R = {}: path written to {}",
                dataset.record_hashes.len(),
                fr_to_decimal(&dataset.root),
                out.display()
            ));
            ui.emit(&json!({ "ok": true, "inclusion": file }));
            Ok(Outcome::Ok)
        }
    }
}
