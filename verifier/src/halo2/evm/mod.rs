//! The halo2 verifier on the EVM: snark-verifier's generated verifier, cut
//! into contracts that each fit EIP-170's 24,576 bytes.
//!
//! snark-verifier's EVM loader emits one assembly block: a header (the
//! `success` flag, the moduli, `validate_ec_point`), ~3,000 straight-line
//! statements that keep every intermediate value in memory at fixed
//! addresses, and a tail that reverts unless `success`. For this circuit
//! that is ~55 KB of runtime code, so one contract cannot be deployed. The
//! statements are cut into segments of at most [`SEGMENT_CHARS`] characters
//! of source; the entry contract runs the first and hands each further
//! segment to a part contract with one static call:
//!
//! ```text
//! adapter ── inputs ‖ proof ──▶ Halo2Verifier: header, segment 1
//!   ├─▶ Halo2VerifierPart2: mem[0, W1) ‖ inputs ‖ proof  →  mem[0, W2)
//!   ├─▶ …
//!   └─▶ Halo2VerifierPartN: mem[0, Wn−1) ‖ inputs ‖ proof →  PASSED (32 bytes; the pairing)
//! the entry returns VERIFIED (32 bytes), or reverts
//! ```
//!
//! `W_j` is the end of the highest memory write of segments `1 … j`: a part
//! restores `mem[0, W_{j−1})`, runs its statements with calldata offsets
//! shifted by `W_{j−1}`, and returns `mem[0, W_j)`, reverting if one of its
//! checks failed. The statements are snark-verifier's, unchanged, so the
//! split verifier checks exactly what the single contract checks; a part
//! called directly only computes over the memory it is given, and never
//! answers `VERIFIED` (it returns `W_j ≠ 32` bytes or [`last_part_word`]),
//! so only the entry can be a verifier.
//!
//! **Every answer is checked, and the parts are pinned.** A static call to
//! an address without code succeeds with no data, so a call's success
//! proves nothing by itself: the entry requires `W_j` bytes from an
//! intermediate part and exactly [`last_part_word`] from the last one
//! (whose segment ends with the pairing). And the entry's constructor
//! refuses a part whose `extcodehash` is not the pinned `keccak256` of its
//! compiled runtime code, so an entry over an empty address, another
//! contract, or the parts in another order cannot be deployed at all; the
//! parts have no `SELFDESTRUCT`, so their code cannot change afterwards.
//!
//! Those hashes exist only once solc has compiled the parts, so the
//! verifier is generated in two stages: [`EvmVerifier::parts`] first; the
//! caller compiles them and renders the entry with [`EvmVerifier::entry`]
//! from the hashes of their runtime code (`poa export-verifier` does both
//! and writes the compiled bytecode). Simpler-looking designs do not fit:
//! hashes passed to the constructor would be the deployer's word, not a
//! pin; and an entry that deploys its parts itself (`new Part()`, or
//! `keccak256(type(Part).runtimeCode)` in its constructor) carries their
//! ~38 KB of code in its initcode beside its own ~18 KB, over EIP-3860's
//! 49,152 bytes.
//!
//! One idea per file: `yul` scans snark-verifier's assembly (its
//! statements, the memory they write, their calldata reads), `split` cuts
//! the statements into segments and tracks the memory each hands on,
//! `generate` writes the entry and part contracts from the template
//! `contracts/src/verifier/Halo2Verifier.sol.tmpl`; this file is the API.

use std::rc::Rc;

use halo2_proofs::halo2curves::bn256::{Bn256, Fq, Fr, G1Affine};
use halo2_proofs::plonk::VerifyingKey;
use halo2_proofs::poly::commitment::ParamsProver;
use halo2_proofs::poly::kzg::commitment::ParamsKZG;
use snark_verifier::loader::evm::EvmLoader;
use snark_verifier::pcs::kzg::{Gwc19, KzgAs, KzgDecidingKey};
use snark_verifier::system::halo2::transcript::evm::EvmTranscript;
use snark_verifier::system::halo2::{compile, Config};
use snark_verifier::verifier::{plonk::PlonkVerifier, SnarkVerifier};

use crate::container::keccak;
use crate::Error;

mod generate;
mod split;
#[cfg(test)]
mod tests;
mod yul;

pub use split::split;

/// Source characters per segment at most: ~20 KB of runtime code at the
/// measured ~3.5 characters per byte (unoptimized legacy pipeline; solc's
/// optimizer stops at "stack too deep" on this assembly), under EIP-170
/// with room (`contracts/tests/halo2.rs` asserts every contract's size).
pub const SEGMENT_CHARS: usize = 70_000;
/// The entry contract's name.
pub const ENTRY: &str = "Halo2Verifier";
/// What the entry returns for a verified proof is `keccak256` of this.
pub const VERIFIED_TAG: &str = "poa.halo2.verified";

/// What the last part returns when its checks (the pairing among them)
/// passed is `keccak256` of this.
pub const LAST_PART_TAG: &str = "poa.halo2.last-part.passed";

/// The verifier as contracts to deploy, in two stages (see the module
/// documentation): compile [`Self::parts`], then [`Self::entry`] pinned to
/// the `keccak256` of their runtime code.
#[derive(Clone, Debug)]
pub struct EvmVerifier {
    /// `(contract name, Solidity source)` of the parts, in the order of the
    /// entry's constructor arguments.
    parts: Vec<(String, String)>,
    /// The entry's assembly (header, segment 1, the calls to the parts).
    entry_code: String,
}

impl EvmVerifier {
    /// The parts `(contract name, Solidity source)`, in the order of the
    /// entry's constructor arguments; empty if one contract fits.
    pub fn parts(&self) -> &[(String, String)] {
        &self.parts
    }
}

/// snark-verifier's verifier of `vk` as one contract (GWC, Keccak
/// transcript): its fallback takes the five public inputs as 32-byte
/// big-endian words followed by the proof, returns nothing on success and
/// reverts otherwise. Its pragma is relaxed from `0.8.19` to `^0.8.19` so
/// that the pinned solc 0.8.28 compiles it (EVM version paris, no `PUSH0`).
/// Over EIP-170 for this circuit: [`evm_verifier`] splits it.
pub fn single_contract(
    params: &ParamsKZG<Bn256>,
    vk: &VerifyingKey<G1Affine>,
) -> Result<String, Error> {
    type Plonk = PlonkVerifier<KzgAs<Bn256, Gwc19>>;
    let protocol = compile(params, vk, Config::kzg().with_num_instance(vec![5]));
    let dk: KzgDecidingKey<Bn256> = (params.get_g()[0], params.g2(), params.s_g2()).into();
    let loader = EvmLoader::new::<Fq, Fr>();
    let protocol = protocol.loaded(&loader);
    let mut transcript = EvmTranscript::<_, Rc<EvmLoader>, _, _>::new(&loader);
    let instances = transcript.load_instances(vec![5]);
    let fail = |e: snark_verifier::Error| Error::Backend(format!("{e:?}"));
    let proof = Plonk::read_proof(&dk, &protocol, &instances, &mut transcript).map_err(fail)?;
    Plonk::verify(&dk, &protocol, &instances, &proof).map_err(fail)?;
    Ok(loader
        .solidity_code()
        .replacen("pragma solidity 0.8.19;", "pragma solidity ^0.8.19;", 1))
}

/// The deployable verifier of `vk`: [`single_contract`] split into an entry
/// and parts of at most [`SEGMENT_CHARS`] characters of statements each.
pub fn evm_verifier(
    params: &ParamsKZG<Bn256>,
    vk: &VerifyingKey<G1Affine>,
) -> Result<EvmVerifier, Error> {
    split(&single_contract(params, vk)?, SEGMENT_CHARS)
}

/// The 32-byte word the entry returns for a verified proof.
pub fn verified_word() -> [u8; 32] {
    keccak(VERIFIED_TAG.as_bytes())
}

/// The 32-byte word the last part returns when its checks passed, and the
/// only answer the entry accepts from it: `keccak256(LAST_PART_TAG)`.
pub fn last_part_word() -> [u8; 32] {
    keccak(LAST_PART_TAG.as_bytes())
}

fn unexpected(what: impl std::fmt::Display) -> Error {
    Error::Backend(format!("unexpected snark-verifier output: {what}"))
}

/// The adapter that gives the split verifier the settlement's
/// `IPoaVerifier` interface: it calls the entry at `VERIFIER` with
/// `inputs ‖ proof` and returns whether it answered `VERIFIED` (`false` for
/// a rejected proof, an input `≥ r`, or a part; the settlement requires
/// `true`). It does not pin the entry's code: whoever relies on an adapter
/// must check that `halo2Verifier()` holds the generated entry (its runtime
/// code is `Halo2Verifier.json`'s `deployedBytecode` with the parts'
/// addresses as immutables). Its source is
/// `contracts/src/verifier/PoaHalo2Verifier.sol`, beside the
/// `IPoaVerifier.sol` it imports.
pub const ADAPTER: &str = include_str!("../../../../contracts/src/verifier/PoaHalo2Verifier.sol");
