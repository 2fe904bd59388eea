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

/// The SRS of `k` from a snarkjs `.ptau` (phase 1 of a Groth16 ceremony:
/// the same τ): its first 2^k powers in G1 and τ·G2, the Lagrange points
/// computed here, checked as a loaded SRS is (`g_{i+1} = s·g_i` by a
/// pairing). Equal to the SRS `--srs` loads for the same τ.
pub fn srs_from_ptau(path: &Path, k: u32) -> Result<ParamsKZG<Bn256>, Error> {
    use ark_ec::AffineRepr;
    use ark_ff::{BigInteger, PrimeField};
    use halo2_proofs::halo2curves::bn256::{Fq, Fq2, G2Affine};
    use halo2_proofs::halo2curves::ff::PrimeField as _;
    let bad = |reason: String| poa_verifier::Error::Format {
        path: path.to_path_buf(),
        reason,
    };
    let mut ptau = crate::groth16::ceremony::ptau::Ptau::open(path)?;
    let (g, s_g2) = ptau.kzg_powers(1 << k)?;
    let fq = |x: &ark_bn254::Fq| -> Option<Fq> {
        let mut repr = [0u8; 32];
        repr.copy_from_slice(&x.into_bigint().to_bytes_le());
        Fq::from_repr(repr).into()
    };
    let g1 = |p: &ark_bn254::G1Affine| -> Option<G1Affine> {
        let (x, y) = p.xy()?;
        Some(G1Affine {
            x: fq(&x)?,
            y: fq(&y)?,
        })
    };
    let g: Vec<G1Affine> = g
        .iter()
        .map(g1)
        .collect::<Option<_>>()
        .ok_or_else(|| bad("section 2 (tauG1): a power is the identity".into()))?;
    let s_g2 = s_g2
        .xy()
        .and_then(|(x, y)| {
            Some(G2Affine {
                x: Fq2 {
                    c0: fq(&x.c0)?,
                    c1: fq(&x.c1)?,
                },
                y: Fq2 {
                    c0: fq(&y.c0)?,
                    c1: fq(&y.c1)?,
                },
            })
        })
        .ok_or_else(|| bad("section 3 (tauG2)[1] is the identity".into()))?;
    // `from_parts` is a method: any params will do as the receiver.
    let params = ParamsKZG::<Bn256>::setup(1, crate::rng(Some([0; 32]))?).from_parts(
        k,
        g,
        None,
        G2Affine::generator(),
        s_g2,
    );
    poa_verifier::halo2::check_srs(&params).map_err(bad)?;
    Ok(params)
}

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
