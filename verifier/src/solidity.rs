//! The Groth16 verifier contract, rendered from a verifying key.
//!
//! The template is typed: [`Groth16Template`] holds the key's points as EVM
//! words, and rendering only formats them. The contract implements
//! `IPoaVerifier`, the interface the settlement uses for every backend:
//! `verifyProof(bytes proof, uint256[5] inputs) returns (bool)`, `false` for
//! a proof that does not verify, a coordinate `≥ q` (checked by us for the
//! negated `A.y`, by the precompiles for the others) or an input `≥ r`
//! (the caller must require `true`). Gas is constant: five `ecMul`, five
//! `ecAdd`, one four-pair pairing, in assembly over scratch memory. Target: solc 0.8.28, EVM version `paris`
//! (no `PUSH0`, so any chain since the Merge).

use ark_bn254::{Bn254, Fq, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::PrimeField;
use ark_groth16::{Proof, VerifyingKey};
use num_bigint::BigUint;

use crate::template::{fill, Template};

/// An EVM word as a decimal literal.
fn word(x: &Fq) -> String {
    BigUint::from(x.into_bigint()).to_string()
}

fn g1_words(p: &G1Affine) -> [String; 2] {
    match p.xy() {
        Some((x, y)) => [word(&x), word(&y)],
        None => ["0".into(), "0".into()],
    }
}

/// G2 in the precompile's order: imaginary part first.
fn g2_words(p: &G2Affine) -> [String; 4] {
    match p.xy() {
        Some((x, y)) => [word(&x.c1), word(&x.c0), word(&y.c1), word(&y.c0)],
        None => ["0".into(), "0".into(), "0".into(), "0".into()],
    }
}

/// The data of the verifier template.
pub struct Groth16Template {
    /// Shown in the header.
    pub shape: String,
    /// Verifying-key digest, `0x` hex.
    pub digest: String,
    alpha: [String; 2],
    beta: [String; 4],
    gamma: [String; 4],
    delta: [String; 4],
    ic: Vec<[String; 2]>,
}

impl Groth16Template {
    /// The template data of a verifying key with five public inputs.
    pub fn new(vk: &VerifyingKey<Bn254>, shape: String, digest: String) -> Self {
        Groth16Template {
            shape,
            digest,
            alpha: g1_words(&vk.alpha_g1),
            beta: g2_words(&vk.beta_g2),
            gamma: g2_words(&vk.gamma_g2),
            delta: g2_words(&vk.delta_g2),
            ic: vk.gamma_abc_g1.iter().map(g1_words).collect(),
        }
    }

    /// The Solidity source: `contracts/src/verifier/PoaGroth16Verifier.sol.tmpl`
    /// filled with the key's points.
    pub fn render(&self) -> String {
        let template = Template::parse(TEMPLATE);
        // Every section is in the template (a test checks it).
        let section = |name: &str| template.section(name).unwrap_or_default();
        let mut consts = String::new();
        let mut c = |name: &str, v: &str| {
            consts.push_str(&fill(section("constant"), &[("NAME", name), ("VALUE", v)]));
        };
        c("ALPHA_X", &self.alpha[0]);
        c("ALPHA_Y", &self.alpha[1]);
        for (name, p) in [
            ("BETA", &self.beta),
            ("GAMMA", &self.gamma),
            ("DELTA", &self.delta),
        ] {
            c(&format!("{name}_X_IM"), &p[0]);
            c(&format!("{name}_X_RE"), &p[1]);
            c(&format!("{name}_Y_IM"), &p[2]);
            c(&format!("{name}_Y_RE"), &p[3]);
        }
        for (i, p) in self.ic.iter().enumerate() {
            c(&format!("IC{i}_X"), &p[0]);
            c(&format!("IC{i}_Y"), &p[1]);
        }
        let mut acc = String::new();
        for i in 1..self.ic.len() {
            let offset = (32 * (i - 1)).to_string();
            acc.push_str(&fill(
                section("accumulate"),
                &[("I", &i.to_string()), ("OFFSET", &offset)],
            ));
        }
        let mut checks = String::new();
        for i in 0..self.ic.len() - 1 {
            let offset = (32 * i).to_string();
            checks.push_str(&fill(section("check-input"), &[("OFFSET", &offset)]));
        }
        checks.push_str(section("check-a-y"));
        fill(
            section("contract"),
            &[
                ("SHAPE", &self.shape),
                ("DIGEST", &self.digest),
                ("CONSTANTS", consts.trim_end()),
                ("ACCUMULATE", acc.trim_end()),
                ("CHECKS", checks.trim_end()),
            ],
        )
    }
}

/// A proof as the contract reads it: eight words `A.x, A.y, B.x (im, re),
/// B.y (im, re), C.x, C.y`, big-endian.
pub fn proof_bytes(proof: &Proof<Bn254>) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    let mut push = |w: &str| {
        let n: BigUint = w.parse().unwrap_or_default();
        let b = n.to_bytes_be();
        out.extend(std::iter::repeat_n(0u8, 32 - b.len()));
        out.extend_from_slice(&b);
    };
    for w in g1_words(&proof.a)
        .iter()
        .chain(&g2_words(&proof.b))
        .chain(&g1_words(&proof.c))
    {
        push(w);
    }
    out
}

/// The interface shared by every poa verifier contract:
/// `contracts/src/verifier/IPoaVerifier.sol`.
pub const INTERFACE: &str = include_str!("../../contracts/src/verifier/IPoaVerifier.sol");

/// The verifier's template, `contracts/src/verifier/PoaGroth16Verifier.sol.tmpl`
/// (see its header and [`crate::template`]): sections `contract` (with
/// `{{SHAPE}}`, `{{DIGEST}}`, `{{CONSTANTS}}`, `{{CHECKS}}`,
/// `{{ACCUMULATE}}`), `constant`, `check-input`, `check-a-y`, `accumulate`.
const TEMPLATE: &str = include_str!("../../contracts/src/verifier/PoaGroth16Verifier.sol.tmpl");

/// The data of the groth16-cp verifier template
/// (`contracts/src/verifier/PoaGroth16CpVerifier.sol.tmpl`): the Groth16
/// key (seven IC points: constant, five inputs, the challenge) and the
/// proof-of-knowledge point `[σγ]₂`.
pub struct Groth16CpTemplate {
    inner: Groth16Template,
    sigma_gamma: [String; 4],
}

impl Groth16CpTemplate {
    /// The template data of a groth16-cp verifying key. The key must pass
    /// the checks of the key-file reader ([`CpVerifyingKey::check`], and
    /// seven IC points); otherwise an error, and no contract.
    ///
    /// [`CpVerifyingKey::check`]: crate::groth16_cp::CpVerifyingKey::check
    pub fn new(
        vk: &crate::groth16_cp::CpVerifyingKey,
        shape: String,
        digest: String,
    ) -> Result<Self, crate::Error> {
        let refuse =
            |why: String| crate::Error::Backend(format!("groth16-cp verifying key refused: {why}"));
        vk.check().map_err(refuse)?;
        if vk.vk.gamma_abc_g1.len() != 7 {
            return Err(refuse(format!(
                "{} IC points, the contract needs 7 (constant, five inputs, the challenge)",
                vk.vk.gamma_abc_g1.len()
            )));
        }
        Ok(Groth16CpTemplate {
            inner: Groth16Template::new(&vk.vk, shape, digest),
            sigma_gamma: g2_words(&vk.sigma_gamma_g2),
        })
    }

    /// The Solidity source.
    pub fn render(&self) -> String {
        let template = Template::parse(CP_TEMPLATE);
        let section = |name: &str| template.section(name).unwrap_or_default();
        let t = &self.inner;
        let mut consts = String::new();
        let mut c = |name: &str, v: &str| {
            consts.push_str(&fill(section("constant"), &[("NAME", name), ("VALUE", v)]));
        };
        c("ALPHA_X", &t.alpha[0]);
        c("ALPHA_Y", &t.alpha[1]);
        for (name, p) in [
            ("BETA", &t.beta),
            ("GAMMA", &t.gamma),
            ("DELTA", &t.delta),
            ("SIGMA_GAMMA", &self.sigma_gamma),
        ] {
            c(&format!("{name}_X_IM"), &p[0]);
            c(&format!("{name}_X_RE"), &p[1]);
            c(&format!("{name}_Y_IM"), &p[2]);
            c(&format!("{name}_Y_RE"), &p[3]);
        }
        for (i, p) in t.ic.iter().enumerate() {
            c(&format!("IC{i}_X"), &p[0]);
            c(&format!("IC{i}_Y"), &p[1]);
        }
        // The five claimed inputs; the challenge (IC6) is added by the contract.
        let mut acc = String::new();
        let mut checks = String::new();
        for i in 1..t.ic.len().saturating_sub(1) {
            let offset = (32 * (i - 1)).to_string();
            acc.push_str(&fill(
                section("accumulate"),
                &[("I", &i.to_string()), ("OFFSET", &offset)],
            ));
            checks.push_str(&fill(section("check-input"), &[("OFFSET", &offset)]));
        }
        checks.push_str(section("check-a-y"));
        fill(
            section("contract"),
            &[
                ("SHAPE", &t.shape),
                ("DIGEST", &t.digest),
                ("CONSTANTS", consts.trim_end()),
                ("ACCUMULATE", acc.trim_end()),
                ("CHECKS", checks.trim_end()),
            ],
        )
    }
}

/// A groth16-cp proof as the contract reads it: twelve words `A` (x, y),
/// `B` (x im, x re, y im, y re), `C`, `D`, `π`, big-endian.
pub fn cp_proof_bytes(proof: &crate::groth16_cp::CpProof) -> Vec<u8> {
    let mut out = proof_bytes(&proof.proof);
    for p in [&proof.d, &proof.pok] {
        out.extend_from_slice(&crate::groth16_cp::g1_evm_bytes(p));
    }
    out
}

/// `contracts/src/verifier/PoaGroth16CpVerifier.sol.tmpl`: the sections of
/// the Groth16 template, with `SIGMA_GAMMA_*` and `IC6_*` constants.
const CP_TEMPLATE: &str =
    include_str!("../../contracts/src/verifier/PoaGroth16CpVerifier.sol.tmpl");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::placeholders;

    #[test]
    fn the_template_has_every_section() {
        let t = Template::parse(TEMPLATE);
        for name in [
            "contract",
            "constant",
            "check-input",
            "check-a-y",
            "accumulate",
        ] {
            assert!(t.section(name).is_some_and(|s| !s.is_empty()), "{name}");
        }
        assert_eq!(t.section(""), Some(""), "text before the first section");
        assert_eq!(
            placeholders(t.section("contract").unwrap_or_default()),
            ["SHAPE", "DIGEST", "CONSTANTS", "CHECKS", "ACCUMULATE"]
        );
    }

    #[test]
    fn renders_every_placeholder() {
        let vk = VerifyingKey::<Bn254> {
            gamma_abc_g1: vec![G1Affine::generator(); 6],
            ..Default::default()
        };
        let source = Groth16Template::new(&vk, "4x5".into(), "0x00".into()).render();
        assert!(placeholders(&source).is_empty(), "{source}");
        assert!(!source.contains("//#"));
        assert!(source.starts_with("// SPDX-License-Identifier: MIT\n"));
        assert!(source.contains("uint256 internal constant IC5_Y = 2;"));
        assert!(source.contains("mulAdd(IC5_X, IC5_Y, calldataload(add(inputs, 128)))"));
        assert!(source.contains("ok := and(ok, lt(calldataload(add(inputs, 128)), R))\n            ok := and(ok, lt(calldataload(add(proof.offset, 32)), Q))\n            // vk_x"));
    }

    #[test]
    fn cp_template_refuses_what_the_key_reader_refuses() {
        use crate::groth16_cp::CpVerifyingKey;
        use ark_ec::CurveGroup;
        let g2 = G2Affine::generator();
        let good = CpVerifyingKey {
            vk: VerifyingKey::<Bn254> {
                alpha_g1: G1Affine::generator(),
                beta_g2: g2,
                gamma_g2: g2,
                delta_g2: (g2 + g2 + g2).into_affine(),
                gamma_abc_g1: vec![G1Affine::generator(); 7],
            },
            sigma_gamma_g2: (g2 + g2).into_affine(),
        };
        let new = |vk: &CpVerifyingKey| Groth16CpTemplate::new(vk, "4x5".into(), "0x00".into());
        let source = new(&good).unwrap().render();
        assert!(placeholders(&source).is_empty(), "{source}");
        assert!(source.contains("uint256 internal constant SIGMA_GAMMA_Y_RE = "));
        assert!(source.contains("mulAdd(ok, IC5_X, IC5_Y, calldataload(add(inputs, 128)))"));
        assert!(
            !source.contains("IC6_X, IC6_Y, calldataload"),
            "the challenge is no input"
        );
        let refused = |vk: CpVerifyingKey, why: &str| {
            let err = new(&vk).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.contains(why), "{why}: {err}");
        };
        let mut vk = good.clone();
        vk.sigma_gamma_g2 = G2Affine::zero();
        refused(vk, "[σγ]₂ is the identity");
        let mut vk = good.clone();
        vk.sigma_gamma_g2 = vk.vk.gamma_g2;
        refused(vk, "σ = 1");
        let mut vk = good.clone();
        vk.sigma_gamma_g2 = -vk.vk.gamma_g2;
        refused(vk, "σ = −1");
        let mut vk = good.clone();
        vk.vk.delta_g2 = vk.vk.gamma_g2;
        refused(vk, "[γ]₂ equals [δ]₂");
        let mut vk = good.clone();
        vk.vk.delta_g2 = G2Affine::zero();
        refused(vk, "[δ]₂ is the identity");
        let mut vk = good;
        vk.vk.gamma_abc_g1.pop();
        refused(vk, "6 IC points");
    }
}
