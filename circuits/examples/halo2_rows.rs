//! Columns of the halo2 layout, and rows and `k` per shape:
//! `cargo run --release -p poa-circuits --features halo2 --example halo2_rows -- 64x1024`.

use halo2_proofs::plonk::{Circuit, ConstraintSystem};
use poa_circuits::halo2::{AttributionCircuit, Fp};
use poa_circuits::statement::Shape;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut meta = ConstraintSystem::<Fp>::default();
    AttributionCircuit::configure(&mut meta);
    println!(
        "columns: {} advice, {} fixed, {} selectors, {} in the permutation; \
         {} lookups, {} gates, degree {}",
        meta.num_advice_columns(),
        meta.num_fixed_columns(),
        meta.num_selectors(),
        meta.permutation().get_columns().len(),
        meta.lookups().len(),
        meta.gates().len(),
        meta.degree()
    );
    for arg in std::env::args().skip(1) {
        let shape: Shape = arg.parse()?;
        println!(
            "{shape}: {} rows, k = {}",
            AttributionCircuit::rows(shape)?,
            AttributionCircuit::k(shape)?
        );
    }
    Ok(())
}
