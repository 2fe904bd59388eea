//! The SRS and the keys. An SRS is `ParamsKZG<Bn256>` in halo2's raw byte
//! format (`SerdeFormat::RawBytes`): `k` as 4 little-endian bytes, then
//! `2^k` G1 powers, their Lagrange form, `g2` and `s·g2` — the format of
//! the powers-of-tau files Axiom and PSE publish for halo2 (`kzg_bn254_{k}.srs`,
//! `hermez-raw-{k}`). A larger SRS is cut down to the shape's `k`.

use std::path::Path;

use halo2_proofs::halo2curves::bn256::{Bn256, G1Affine};
use halo2_proofs::plonk::{keygen_pk, keygen_vk, ProvingKey};
use halo2_proofs::poly::commitment::Params;
use halo2_proofs::poly::kzg::commitment::ParamsKZG;
use halo2_proofs::SerdeFormat;
use poa_circuits::halo2::AttributionCircuit;
use poa_circuits::statement::Shape;

use crate::Error;

/// A development SRS made here: whoever ran it knows the trapdoor and can
/// forge proofs. `seed` makes it reproducible (tests only).
pub fn srs_insecure(k: u32, seed: Option<[u8; 32]>) -> Result<ParamsKZG<Bn256>, Error> {
    Ok(ParamsKZG::<Bn256>::setup(k, crate::rng(seed)?))
}

pub use poa_verifier::halo2::read_srs;

/// Writes an SRS in the raw format, atomically.
pub fn write_srs(path: &Path, params: &ParamsKZG<Bn256>) -> Result<(), Error> {
    let mut bytes = Vec::new();
    params
        .write_custom(&mut bytes, SerdeFormat::RawBytes)
        .map_err(|cause| Error::Io {
            path: path.to_path_buf(),
            cause,
        })?;
    crate::files::write_atomic(path, &bytes)
}

/// The proving key of `shape` under `params` (deterministic: the verifying
/// key is a function of the SRS and the circuit).
pub fn keygen(params: &ParamsKZG<Bn256>, shape: Shape) -> Result<ProvingKey<G1Affine>, Error> {
    let circuit = AttributionCircuit::placeholder(shape);
    let k = AttributionCircuit::k(shape)?;
    if params.k() != k {
        return Err(Error::Synthesis(format!(
            "the SRS has k = {}, shape {shape} needs k = {k}",
            params.k()
        )));
    }
    let vk = keygen_vk(params, &circuit).map_err(|e| Error::Synthesis(e.to_string()))?;
    keygen_pk(params, vk, &circuit).map_err(|e| Error::Synthesis(e.to_string()))
}
