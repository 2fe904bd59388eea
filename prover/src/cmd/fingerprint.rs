//! `poa fingerprint quantize` (SPEC §7): `Δ_i = clamp(round(f_i · 2^k))`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use poa_circuits::fingerprint::quantize_one;
use poa_circuits::formats::{npy_int16, parse_npy, Array};
use poa_prover::files::write_atomic;
use serde_json::json;

use crate::output::{Outcome, Ui};

/// Fingerprints.
#[derive(clap::Subcommand)]
pub enum Command {
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

pub fn run(ui: &Ui, c: &Command) -> Result<Outcome> {
    let Command::Quantize {
        scale_exp,
        input,
        output,
    } = c;
    quantize(ui, *scale_exp, input, output)
}

fn quantize(ui: &Ui, scale_exp: i32, input: &Path, output: &Path) -> Result<Outcome> {
    if !(-1074..=1023).contains(&scale_exp) {
        bail!("--scale-exp {scale_exp} is outside [-1074, 1023]");
    }
    let bytes = std::fs::read(input).with_context(|| format!("{}", input.display()))?;
    let values: Vec<f64> = if input.extension().is_some_and(|e| e == "npy") {
        match parse_npy(input, &bytes)? {
            Array::F64(v) => v,
            Array::I16(v) => v.into_iter().map(f64::from).collect(),
        }
    } else {
        serde_json::from_slice(&bytes)
            .with_context(|| format!("{}: expected a JSON array of numbers", input.display()))?
    };
    let mut out = Vec::with_capacity(values.len());
    let mut clipped = 0usize;
    for (i, &f) in values.iter().enumerate() {
        let (q, c) = quantize_one(f, scale_exp).with_context(|| {
            format!(
                "{}: entry [{i}] is {f}, not a finite number",
                input.display()
            )
        })?;
        out.push(q);
        clipped += usize::from(c);
    }
    let encoded = match output.extension().and_then(|e| e.to_str()) {
        Some("npy") => npy_int16(&out),
        Some("json") => (serde_json::to_string(&out)? + "\n").into_bytes(),
        _ => out.iter().flat_map(|v| v.to_le_bytes()).collect(),
    };
    write_atomic(output, &encoded)?;
    ui.say(format!(
        "{} entries quantized with scale 2^{scale_exp}; {clipped} clipped to int16; written to {}",
        out.len(),
        output.display()
    ));
    ui.emit(
        &json!({ "ok": true, "entries": out.len(), "clipped": clipped, "scaleExp": scale_exp }),
    );
    Ok(Outcome::Ok)
}
