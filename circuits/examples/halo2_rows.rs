//! Rows and `k` of the halo2 layout per shape:
//! `cargo run --release -p poa-circuits --features halo2 --example halo2_rows -- 64x1024`.

use poa_circuits::halo2::AttributionCircuit;
use poa_circuits::statement::Shape;

fn main() -> Result<(), Box<dyn std::error::Error>> {
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
