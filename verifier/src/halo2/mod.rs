//! The halo2 backend's files and native verification (KZG on BN254, GWC,
//! Keccak transcript as on the EVM).
//!
//! Files in a params folder: `halo2.srs`, the SRS cut to the shape's `k`
//! (halo2's raw `ParamsKZG` format), and `halo2.vk`, the verifying key in the
//! project's 64-byte-header container (magic, versions, shape, Keccak
//! checksum). Proof files are the common JSON `poa-proof` with backend
//! `halo2`.

use std::path::Path;

use halo2_proofs::halo2curves::bn256::{Bn256, G1Affine};
use halo2_proofs::plonk::{verify_proof, VerifyingKey};
use halo2_proofs::poly::commitment::ParamsProver;
use halo2_proofs::poly::kzg::commitment::{KZGCommitmentScheme, ParamsKZG};
use halo2_proofs::poly::kzg::multiopen::VerifierGWC;
use halo2_proofs::poly::kzg::strategy::SingleStrategy;
use halo2_proofs::transcript::TranscriptReadBuffer;
use halo2_proofs::SerdeFormat;
use poa_circuits::formats::Claim;
use poa_circuits::halo2::{ark_to_fp, AttributionCircuit, Fp};
use poa_circuits::statement::Shape;
use snark_verifier::system::halo2::transcript::evm::EvmTranscript;

use crate::container::{self, keccak};
use crate::groth16::{claim_for_key, ProofFile, Verdict};
use crate::Error;

pub mod evm;
pub use evm::{evm_verifier, EvmVerifier, ADAPTER};

/// Version of the halo2 circuit (a change of layout is a new version).
pub const CIRCUIT_VERSION: u32 = 1;
/// Magic of verifying-key files.
pub const VK_MAGIC: &[u8; 8] = b"POAH2VK\0";
/// Verifying-key file name in a params folder.
pub const VK_FILE: &str = "halo2.vk";
/// SRS file name in a params folder.
pub const SRS_FILE: &str = "halo2.srs";
/// Key files store points in halo2's raw format.
const FORMAT: SerdeFormat = SerdeFormat::RawBytes;

/// The KZG parameters (SRS) of BN254.
pub type Srs = ParamsKZG<Bn256>;

/// A verifying key and its shape.
#[derive(Clone, Debug)]
pub struct VerifyingKeyFile {
    /// The shape.
    pub shape: Shape,
    /// The key.
    pub vk: VerifyingKey<G1Affine>,
}

impl VerifyingKeyFile {
    /// Keccak-256 of the key's raw serialization.
    pub fn digest(&self) -> [u8; 32] {
        keccak(&self.vk.to_bytes(FORMAT))
    }

    /// The sealed file contents.
    pub fn to_bytes(&self) -> Vec<u8> {
        container::seal(
            VK_MAGIC,
            CIRCUIT_VERSION,
            self.shape,
            &self.vk.to_bytes(FORMAT),
        )
    }

    /// Reads and checks a key file.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let bytes = container::read(path)?;
        let (shape, payload) = container::open(path, &bytes, VK_MAGIC, CIRCUIT_VERSION)?;
        let vk = VerifyingKey::<G1Affine>::from_bytes::<AttributionCircuit>(payload, FORMAT, ())
            .map_err(|e| Error::Format {
                path: path.to_path_buf(),
                reason: format!("not a halo2 verifying key: {e}"),
            })?;
        Ok(VerifyingKeyFile { shape, vk })
    }
}

/// Reads an SRS in halo2's raw `ParamsKZG` format (as Axiom and PSE publish
/// powers of tau for halo2) and cuts it to `k`; an SRS smaller than `k` is
/// an error.
pub fn read_srs(path: &Path, k: u32) -> Result<ParamsKZG<Bn256>, Error> {
    use halo2_proofs::poly::commitment::Params;
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut reader = std::io::BufReader::new(file);
    let mut params =
        ParamsKZG::<Bn256>::read_custom(&mut reader, FORMAT).map_err(|e| Error::Format {
            path: path.to_path_buf(),
            reason: format!("not a halo2 KZG SRS (raw ParamsKZG): {e}"),
        })?;
    if params.k() < k {
        return Err(Error::Format {
            path: path.to_path_buf(),
            reason: format!("the SRS has k = {}, the shape needs k = {k}", params.k()),
        });
    }
    if params.k() > k {
        params.downsize(k);
    }
    Ok(params)
}

/// Verifies a halo2 proof for `claim`: the public inputs are recomputed from
/// the claim, as for Groth16.
pub fn verify_claim(
    vk_path: &Path,
    vk: &VerifyingKeyFile,
    params: &ParamsKZG<Bn256>,
    claim: &Claim,
    proof_file: &ProofFile,
    proof: &[u8],
) -> Result<Verdict, Error> {
    let report = claim_for_key(vk_path, vk.shape, claim)?;
    let inputs: Vec<Fp> = report.public_inputs.iter().map(ark_to_fp).collect();
    let inputs: [Fp; 5] = inputs.try_into().map_err(|_| Error::Format {
        path: vk_path.to_path_buf(),
        reason: "expected five public inputs".into(),
    })?;
    Ok(Verdict::new(
        report,
        &proof_file.vk_digest,
        vk.digest(),
        || verify(params, &vk.vk, &inputs, proof),
        "the KZG opening check failed for the claim's public inputs",
    ))
}

/// Whether `proof` verifies for `inputs` (`[Q, V, pool, γ, h]`). Malformed
/// proof bytes are a rejection, not an error: they come from the prover.
pub fn verify(
    params: &ParamsKZG<Bn256>,
    vk: &VerifyingKey<G1Affine>,
    inputs: &[Fp; 5],
    proof: &[u8],
) -> bool {
    let mut transcript = EvmTranscript::<G1Affine, _, _, _>::init(proof);
    verify_proof::<KZGCommitmentScheme<Bn256>, VerifierGWC<_>, _, _, _>(
        params.verifier_params(),
        vk,
        SingleStrategy::new(params),
        &[&[&inputs[..]]],
        &mut transcript,
    )
    .is_ok()
}
