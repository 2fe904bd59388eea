//! The circuit in iden3's `.r1cs` binary format (what circom writes and
//! snarkjs reads):
//!
//! ```text
//! section 1  header: n8 · r · nWires · nOutputs · nPubInputs · nPrvInputs
//!            · nLabels (u64) · nConstraints
//! section 2  per constraint, for A, B and C: the number of terms, then
//!            per term the wire (u32) and the coefficient (n8 bytes LE)
//! section 3  wire → label (u64 each; here the identity)
//! ```
//!
//! Wires are arkworks' columns: 0 the one, then the five public inputs,
//! then the witnesses; the public inputs are declared as public inputs (no
//! outputs), so snarkjs orders `public.json` as `poa export snarkjs` does.

use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};
use ark_relations::r1cs::ConstraintMatrices;

use super::binfile::Writer;
use super::points::fr_le;

/// The `.r1cs` file of the circuit whose matrices are `m`.
pub fn r1cs_bytes(m: &ConstraintMatrices<Fr>) -> Vec<u8> {
    let n_vars = m.num_instance_variables + m.num_witness_variables;
    let mut h = Vec::new();
    h.extend_from_slice(&32u32.to_le_bytes());
    h.extend_from_slice(&Fr::MODULUS.to_bytes_le());
    h.extend_from_slice(&(n_vars as u32).to_le_bytes());
    h.extend_from_slice(&0u32.to_le_bytes()); // outputs
    h.extend_from_slice(&((m.num_instance_variables - 1) as u32).to_le_bytes());
    h.extend_from_slice(&0u32.to_le_bytes()); // private inputs
    h.extend_from_slice(&(n_vars as u64).to_le_bytes()); // labels
    h.extend_from_slice(&(m.num_constraints as u32).to_le_bytes());
    let mut c = Vec::new();
    for row in 0..m.num_constraints {
        for lc in [&m.a[row], &m.b[row], &m.c[row]] {
            c.extend_from_slice(&(lc.len() as u32).to_le_bytes());
            for (v, w) in lc {
                c.extend_from_slice(&(*w as u32).to_le_bytes());
                c.extend_from_slice(&fr_le(v));
            }
        }
    }
    let mut map = Vec::with_capacity(n_vars * 8);
    for i in 0..n_vars as u64 {
        map.extend_from_slice(&i.to_le_bytes());
    }
    let mut w = Writer::new(b"r1cs", 1, 3);
    w.section(1, &h);
    w.section(2, &c);
    w.section(3, &map);
    w.finish()
}
