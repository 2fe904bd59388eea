//! Proving an epoch.

use halo2_proofs::halo2curves::bn256::{Bn256, G1Affine};
use halo2_proofs::plonk::{create_proof, ProvingKey};
use halo2_proofs::poly::kzg::commitment::{KZGCommitmentScheme, ParamsKZG};
use halo2_proofs::poly::kzg::multiopen::ProverGWC;
use halo2_proofs::transcript::TranscriptWriterBuffer;
use poa_circuits::halo2::witness::public_inputs;
use poa_circuits::halo2::{AttributionCircuit, Fp, Witness};
use poa_circuits::statement::Epoch;
use snark_verifier::system::halo2::transcript::evm::EvmTranscript;

use crate::Error;

/// Proves `epoch`; returns the proof bytes and the public inputs
/// `[Q, V, pool, γ, h]`. The proof is checked before it is returned.
pub fn prove(
    params: &ParamsKZG<Bn256>,
    pk: &ProvingKey<G1Affine>,
    epoch: &Epoch,
) -> Result<(Vec<u8>, [Fp; 5]), Error> {
    let witness = Witness::new(epoch)?;
    let inputs = public_inputs(epoch)?;
    let circuit = AttributionCircuit::new(witness);
    let mut transcript = EvmTranscript::<G1Affine, _, _, _>::init(Vec::new());
    create_proof::<KZGCommitmentScheme<Bn256>, ProverGWC<_>, _, _, _, _>(
        params,
        pk,
        &[circuit],
        &[&[&inputs[..]]],
        crate::rng(None)?,
        &mut transcript,
    )
    .map_err(|e| Error::Synthesis(e.to_string()))?;
    let proof = transcript.finalize();
    if !poa_verifier::halo2::verify(params, pk.get_vk(), &inputs, &proof) {
        return Err(Error::Synthesis(
            "the halo2 proof does not verify (the witness breaks a constraint)".into(),
        ));
    }
    Ok((proof, inputs))
}
