//! Groth16 over BN254: verifying keys, proofs and their verification.
//!
//! The verifier never trusts public inputs carried by a proof: it recomputes
//! `[Q, V, pool, γ, h]` from the claim (SPEC §6) and checks the pairing
//! equation against those.

use std::path::Path;

use ark_bn254::{Bn254, Fr};
use ark_groth16::{PreparedVerifyingKey, Proof, VerifyingKey};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use poa_circuits::formats::Claim;
use poa_circuits::statement::Shape;

use crate::backend::{Log, Verification, Verifier};
use crate::claim::{check_claim, ClaimReport};
use crate::container::{self, keccak};
use crate::proof_file::{hex0x, ProofFile};
use crate::verdict::Verdict;
use crate::Error;

/// Version of the Groth16 circuit; keys of another version are refused.
pub const CIRCUIT_VERSION: u32 = 1;
/// Magic of verifying-key files.
pub const VK_MAGIC: &[u8; 8] = b"POAG16VK";
/// Magic of proving-key files.
pub const PK_MAGIC: &[u8; 8] = b"POAG16PK";
/// File names inside a params folder.
pub const VK_FILE: &str = "groth16.vk";
/// Proving key file name.
pub const PK_FILE: &str = "groth16.pk";
/// The registry name of the backend, as proof files record it.
pub const NAME: &str = "groth16";
/// Size of a verifying key's payload: `α` (G1, 64 bytes uncompressed),
/// `β, γ, δ` (G2, 128 each), the length of `γ_abc` (u64) and its six G1
/// points (five public inputs and the constant): arkworks' uncompressed
/// layout, pinned by the `vk_payload_size` test.
pub const VK_PAYLOAD: usize = 64 + 3 * 128 + 8 + 6 * 64;

/// A verifying key and the shape it was made for.
#[derive(Clone, Debug)]
pub struct VerifyingKeyFile {
    /// The shape.
    pub shape: Shape,
    /// The key.
    pub vk: VerifyingKey<Bn254>,
}

fn ser_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Format {
        path: path.to_path_buf(),
        reason: format!("bad encoding: {e}"),
    }
}

impl VerifyingKeyFile {
    /// The key's digest: Keccak-256 of its uncompressed serialization.
    pub fn digest(&self) -> [u8; 32] {
        keccak(&vk_bytes(&self.vk))
    }

    /// The sealed file contents.
    pub fn to_bytes(&self) -> Vec<u8> {
        container::seal(VK_MAGIC, CIRCUIT_VERSION, self.shape, &vk_bytes(&self.vk))
    }

    /// Reads and checks a verifying-key file (points are validated: the
    /// verifying key is small and comes from elsewhere).
    pub fn read(path: &Path) -> Result<Self, Error> {
        Self::from_bytes(path, &container::read(path)?)
    }

    /// Decodes and checks the bytes of a verifying-key file (what
    /// [`VerifyingKeyFile::read`] reads); errors name `path` (for messages
    /// only). The payload's fixed layout is checked before any of it is
    /// deserialized, so no length in it sizes an allocation.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Self, Error> {
        let (shape, payload) = container::open(path, bytes, VK_MAGIC, CIRCUIT_VERSION)?;
        // The layout is fixed: no length inside it is read before this.
        if payload.len() != VK_PAYLOAD || payload[448..456] != 6u64.to_le_bytes() {
            return Err(ser_err(
                path,
                format!(
                    "a verifying key of five public inputs has a {VK_PAYLOAD}-byte payload \
                     with 6 γ_abc points; this one has {} bytes and claims {} points",
                    payload.len(),
                    payload
                        .get(448..456)
                        .and_then(|b| <[u8; 8]>::try_from(b).ok())
                        .map_or(0, u64::from_le_bytes)
                ),
            ));
        }
        let vk = VerifyingKey::deserialize_with_mode(payload, Compress::No, Validate::Yes)
            .map_err(|e| ser_err(path, e))?;
        if vk.gamma_abc_g1.len() != 6 {
            return Err(ser_err(path, "expected five public inputs"));
        }
        Ok(VerifyingKeyFile { shape, vk })
    }
}

fn vk_bytes(vk: &VerifyingKey<Bn254>) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = vk.serialize_with_mode(&mut out, Compress::No);
    out
}

/// Verifies `proof` for `claim` under `vk`: the public inputs are recomputed
/// from the claim. A shape mismatch between key and claim is an error; a
/// proof that fails is `Ok` with `proof_ok = false`.
pub fn verify(
    vk_path: &Path,
    vk: &VerifyingKeyFile,
    claim: &Claim,
    proof_file: &ProofFile,
    proof: &Proof<Bn254>,
) -> Result<Verdict, Error> {
    let report = claim_for_key(vk_path, vk.shape, claim)?;
    let inputs = report.public_inputs;
    Ok(Verdict::new(
        report,
        &proof_file.vk_digest,
        vk.digest(),
        || verify_inputs(&vk.vk, proof, &inputs),
        "the pairing check failed for the claim's public inputs",
    ))
}

/// The claim's checks, after making sure the key at `vk_path` (of shape
/// `key`) is for the claim's shape.
pub fn claim_for_key(vk_path: &Path, key: Shape, claim: &Claim) -> Result<ClaimReport, Error> {
    if key != claim.shape {
        return Err(Error::ShapeMismatch {
            path: vk_path.to_path_buf(),
            key,
            claim: claim.shape,
        });
    }
    check_claim(claim)
}

/// The bare pairing check for given public inputs.
pub fn verify_inputs(vk: &VerifyingKey<Bn254>, proof: &Proof<Bn254>, inputs: &[Fr]) -> bool {
    let pvk: PreparedVerifyingKey<Bn254> = ark_groth16::prepare_verifying_key(vk);
    ark_groth16::Groth16::<Bn254>::verify_proof(&pvk, proof, inputs).unwrap_or(false)
}

/// The file form of a Groth16 proof (compressed `(A, B, C)`).
pub fn proof_file(shape: Shape, vk_digest: [u8; 32], proof: &Proof<Bn254>) -> ProofFile {
    let mut bytes = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = proof.serialize_compressed(&mut bytes);
    ProofFile::new(NAME, shape, vk_digest, &bytes)
}

/// Reads a Groth16 proof file; a malformed one is an error naming the field.
pub fn read_proof(path: &Path) -> Result<(ProofFile, Proof<Bn254>), Error> {
    let (file, bytes) = ProofFile::read(path, NAME)?;
    let proof =
        Proof::<Bn254>::deserialize_compressed(bytes.as_slice()).map_err(|e| Error::Format {
            path: path.to_path_buf(),
            reason: format!("field `proof`: not a valid proof: {e}"),
        })?;
    Ok((file, proof))
}

/// The Groth16 verifier: `groth16.vk` in the params folder, trusted as
/// given (a Groth16 key cannot be re-derived from public data, so its
/// digest is shown for comparison with the setup's published one).
pub struct Groth16;

impl Verifier for Groth16 {
    fn name(&self) -> &'static str {
        NAME
    }

    fn verify(
        &self,
        params: &Path,
        claim: &Claim,
        _claim_path: &Path,
        proof: &Path,
        log: &dyn Log,
    ) -> Result<Verification, Error> {
        let vk_path = params.join(VK_FILE);
        let vk = VerifyingKeyFile::read(&vk_path)?;
        let key = KeyInfo {
            path: &vk_path,
            shape: vk.shape,
            digest: vk.digest(),
            backend: NAME,
        };
        // One encoding per proof: exactly A, B, C compressed, no trailing
        // bytes.
        let decode = |bytes: &[u8]| {
            Proof::<Bn254>::deserialize_compressed(bytes)
                .and_then(|p| {
                    if p.compressed_size() == bytes.len() {
                        Ok(p)
                    } else {
                        Err(ark_serialize::SerializationError::InvalidData)
                    }
                })
                .map_err(|e| e.to_string())
        };
        verify_file(
            &key,
            claim,
            proof,
            log,
            decode,
            |p, inputs| verify_inputs(&vk.vk, p, inputs),
            "the pairing check failed for the claim's public inputs",
        )
    }
}

/// What [`verify_file`] needs of a Groth16-family verifying key.
pub(crate) struct KeyInfo<'a> {
    /// Its file.
    pub path: &'a Path,
    /// Its shape.
    pub shape: Shape,
    /// Its digest.
    pub digest: [u8; 32],
    /// The backend's registry name (proof files record it).
    pub backend: &'a str,
}

/// A Groth16-family verification (groth16, groth16-cp): the proof file at
/// `proof` of the key's backend read, the key (trusted as given) logged
/// with its digest for comparison with the setup's, the claim checked
/// against the key's shape, then `check` on the decoded proof and the
/// claim's public inputs. Bytes that `decode` refuses (a point off the
/// curve) come from the prover, like a proof that fails: a rejection, not
/// an input error.
pub(crate) fn verify_file<P>(
    key: &KeyInfo<'_>,
    claim: &Claim,
    proof: &Path,
    log: &dyn Log,
    decode: impl FnOnce(&[u8]) -> Result<P, String>,
    check: impl FnOnce(&P, &[Fr; 5]) -> bool,
    failure: &str,
) -> Result<Verification, Error> {
    let (file, bytes) = ProofFile::read(proof, key.backend)?;
    log.progress(&format!(
        "verifying key {} (trusted as given): digest {}",
        key.path.display(),
        hex0x(&key.digest)
    ));
    let report = claim_for_key(key.path, key.shape, claim)?;
    let verdict = match decode(&bytes) {
        Ok(p) => {
            let inputs = report.public_inputs;
            Verdict::new(
                report,
                &file.vk_digest,
                key.digest,
                || check(&p, &inputs),
                failure,
            )
        }
        Err(e) => Verdict {
            claim: report,
            proof_ok: false,
            reason: Some(format!(
                "the proof bytes are not a {} proof: {e}",
                key.backend
            )),
        },
    };
    Ok(Verification {
        verdict,
        extra: serde_json::Map::new(),
    })
}
