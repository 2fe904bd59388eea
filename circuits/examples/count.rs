//! Prints the constraint count of shapes: `cargo run --example count --features r1cs -- 64x1024`.
use poa_circuits::r1cs::circuit::constraint_count;
use poa_circuits::statement::Shape;

fn main() {
    for arg in std::env::args().skip(1) {
        match arg.parse::<Shape>() {
            Ok(shape) => {
                let c = constraint_count(shape);
                println!(
                    "{shape}: {c} constraints, {:.2} per update entry",
                    c as f64 / (shape.slots * shape.dim) as f64
                );
            }
            Err(e) => eprintln!("{e}"),
        }
    }
}
