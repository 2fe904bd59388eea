//! Phase-2 parameters in snarkjs's `.zkey` format (Groth16), and the
//! proving key they give.
//!
//! ```text
//! section 1   protocol (u32, 1 = Groth16)
//! section 2   n8q · q · n8r · r · nVars · nPublic · domainSize ·
//!             α·G1 · β·G1 · β·G2 · γ·G2 · δ·G1 · δ·G2
//! section 3   IC: the public inputs' (β·A_i + α·B_i + C_i)(τ)·G1, γ = 1
//! section 4   the A and B coefficients (matrix, row, wire, v·R² mod r)
//! section 5   A_i(τ)·G1    section 6  B_i(τ)·G1    section 7  B_i(τ)·G2
//! section 8   L: the private wires' (β·A_i + α·B_i + C_i)(τ)/δ·G1
//! section 9   H: L^{2n}_{2i+1}(τ)/δ·G1 (Lagrange basis of the 2n-domain at
//!             its odd points; see [`super::qap`])
//! section 10  the circuit hash (Blake2b-512) and the contributions
//! ```

use std::path::Path;

use ark_bn254::{Bn254, Fq, Fr, G1Affine, G2Affine};
use ark_ff::{BigInteger, PrimeField};
use ark_groth16::{ProvingKey, VerifyingKey};
use blake2::{Blake2b512, Digest};

use super::binfile::{u32_le, BinFile, Cursor, Writer};
use super::cp::CpContribution;
use super::points::{
    g1_from_lem, g1_lem, g1_u, g1s, g1s_lem, g2_from_lem, g2_lem, g2_u, g2s_lem, g2s_with,
    G1_BYTES, G2_BYTES,
};
use super::Error;

/// One contribution to phase 2 (snarkjs's layout).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contribution {
    /// δ·G1 after it.
    pub delta_after: G1Affine,
    /// A random point s·G1.
    pub g1_s: G1Affine,
    /// x·s·G1, x the contribution's secret.
    pub g1_sx: G1Affine,
    /// x·H(transcript)·G2: the proof of knowledge of x.
    pub g2_spx: G2Affine,
    /// Blake2b-512 of the circuit hash, the contributions before and
    /// `g1_s`, `g1_sx`.
    pub transcript: [u8; 64],
    /// A name, if given.
    pub name: Option<String>,
    /// For a beacon: the number of iterations (as a power of two) and the
    /// beacon value.
    pub beacon: Option<(u8, Vec<u8>)>,
    /// In a groth16-cp ceremony, its part of the commitment key's update
    /// (not in snarkjs's layout: the state file's section 12).
    pub cp: Option<CpContribution>,
}

impl Contribution {
    /// snarkjs's `hashPubKey` of it.
    pub fn hash_into(&self, h: &mut Blake2b512) {
        let mut b = Vec::with_capacity(4 * 64 + 128);
        g1_u(&self.delta_after, &mut b);
        g1_u(&self.g1_s, &mut b);
        g1_u(&self.g1_sx, &mut b);
        g2_u(&self.g2_spx, &mut b);
        h.update(&b);
        h.update(self.transcript);
        // A groth16-cp contribution's hash covers its commitment-key part
        // too, so the chain (and every later transcript) binds it.
        if let Some(cp) = &self.cp {
            let mut b = Vec::new();
            cp.write_uncompressed(&mut b);
            h.update(&b);
        }
    }

    /// The contribution hash snarkjs prints.
    pub fn hash(&self) -> [u8; 64] {
        let mut h = Blake2b512::new();
        self.hash_into(&mut h);
        h.finalize().into()
    }
}

/// A coefficient of the A or B matrix, as section 4 lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Coef {
    /// 0 = A, 1 = B.
    pub matrix: u32,
    /// The row (constraint).
    pub row: u32,
    /// The wire.
    pub wire: u32,
    /// The value.
    pub value: Fr,
}

/// Groth16 phase-2 parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Zkey {
    /// Wires, the one included.
    pub n_vars: usize,
    /// Public inputs (the one excluded).
    pub n_public: usize,
    /// The QAP domain's size.
    pub domain_size: usize,
    /// α·G1.
    pub alpha_g1: G1Affine,
    /// β·G1.
    pub beta_g1: G1Affine,
    /// β·G2.
    pub beta_g2: G2Affine,
    /// γ·G2.
    pub gamma_g2: G2Affine,
    /// δ·G1.
    pub delta_g1: G1Affine,
    /// δ·G2.
    pub delta_g2: G2Affine,
    /// Section 3.
    pub ic: Vec<G1Affine>,
    /// Section 4.
    pub coefs: Vec<Coef>,
    /// Section 5.
    pub a: Vec<G1Affine>,
    /// Section 6.
    pub b_g1: Vec<G1Affine>,
    /// Section 7.
    pub b_g2: Vec<G2Affine>,
    /// Section 8.
    pub l: Vec<G1Affine>,
    /// Section 9.
    pub h: Vec<G1Affine>,
    /// The circuit hash of the initial parameters.
    pub cs_hash: [u8; 64],
    /// The contributions, in order.
    pub contributions: Vec<Contribution>,
}

/// The coefficient's encoding: `v·R² mod r` (snarkjs keeps it in
/// Montgomery form twice).
fn coef_bytes(v: &Fr) -> Vec<u8> {
    Fr::from_bigint(v.0)
        .map(|x| x.0.to_bytes_le())
        .unwrap_or_default()
}

fn coef_from(b: &[u8]) -> Option<Fr> {
    // The element whose Montgomery form is the raw value is v·R; its plain
    // form, read as a Montgomery form, is v.
    let v_r = super::points::fr_from_lem(b)?;
    Some(Fr::new_unchecked(v_r.into_bigint()))
}

impl Zkey {
    /// Section 4's bytes.
    pub fn coefs_section(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + self.coefs.len() * 44);
        out.extend_from_slice(&(self.coefs.len() as u32).to_le_bytes());
        for c in &self.coefs {
            out.extend_from_slice(&c.matrix.to_le_bytes());
            out.extend_from_slice(&c.row.to_le_bytes());
            out.extend_from_slice(&c.wire.to_le_bytes());
            out.extend_from_slice(&coef_bytes(&c.value));
        }
        out
    }

    /// Section 10's bytes.
    pub fn mpc_section(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&self.cs_hash);
        out.extend_from_slice(&(self.contributions.len() as u32).to_le_bytes());
        for c in &self.contributions {
            g1_lem(&c.delta_after, &mut out);
            g1_lem(&c.g1_s, &mut out);
            g1_lem(&c.g1_sx, &mut out);
            g2_lem(&c.g2_spx, &mut out);
            out.extend_from_slice(&c.transcript);
            out.extend_from_slice(&u32::from(c.beacon.is_some()).to_le_bytes());
            let mut params = Vec::new();
            if let Some(name) = &c.name {
                let mut end = name.len().min(64);
                while !name.is_char_boundary(end) {
                    end -= 1;
                }
                params.push(1u8);
                params.push(end as u8);
                params.extend_from_slice(&name.as_bytes()[..end]);
            }
            if let Some((exp, hash)) = &c.beacon {
                params.extend_from_slice(&[2, *exp, 3, hash.len() as u8]);
                params.extend_from_slice(hash);
            }
            out.extend_from_slice(&(params.len() as u32).to_le_bytes());
            out.extend_from_slice(&params);
        }
        out
    }

    /// The `.zkey` file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_bytes_with(&[])
    }

    /// The `.zkey` file's bytes with `extra` sections after section 10
    /// (a groth16-cp state's; none in a snarkjs `.zkey`).
    pub fn to_bytes_with(&self, extra: &[(u32, &[u8])]) -> Vec<u8> {
        let mut w = Writer::new(b"zkey", 1, 10 + extra.len() as u32);
        w.section(1, &1u32.to_le_bytes());
        let mut h = Vec::new();
        h.extend_from_slice(&32u32.to_le_bytes());
        h.extend_from_slice(&Fq::MODULUS.to_bytes_le());
        h.extend_from_slice(&32u32.to_le_bytes());
        h.extend_from_slice(&Fr::MODULUS.to_bytes_le());
        for x in [self.n_vars, self.n_public, self.domain_size] {
            h.extend_from_slice(&(x as u32).to_le_bytes());
        }
        g1_lem(&self.alpha_g1, &mut h);
        g1_lem(&self.beta_g1, &mut h);
        g2_lem(&self.beta_g2, &mut h);
        g2_lem(&self.gamma_g2, &mut h);
        g1_lem(&self.delta_g1, &mut h);
        g2_lem(&self.delta_g2, &mut h);
        w.section(2, &h);
        w.section(3, &g1s_lem(&self.ic));
        w.section(4, &self.coefs_section());
        w.section(5, &g1s_lem(&self.a));
        w.section(6, &g1s_lem(&self.b_g1));
        w.section(7, &g2s_lem(&self.b_g2));
        w.section(8, &g1s_lem(&self.l));
        w.section(9, &g1s_lem(&self.h));
        w.section(10, &self.mpc_section());
        for (id, bytes) in extra {
            w.section(*id, bytes);
        }
        w.finish()
    }

    /// Reads a `.zkey` file (Groth16 on BN254), checking every point.
    pub fn read(path: &Path) -> Result<Self, Error> {
        Self::parse(BinFile::open(path, b"zkey", 1)?)
    }

    /// Reads `.zkey` bytes (named `path` in errors).
    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Self, Error> {
        Self::parse_with(BinFile::from_bytes(path, bytes, b"zkey", 1)?, true)
    }

    /// [`Zkey::from_bytes`] without the G2 group check of section 7 (B2),
    /// the costly part of reading: for a contribution, which leaves B2 as it
    /// is (a bad B2 fails `verify`, which does check it).
    pub fn from_bytes_for_contribution(path: &Path, bytes: Vec<u8>) -> Result<Self, Error> {
        Self::parse_with(BinFile::from_bytes(path, bytes, b"zkey", 1)?, false)
    }

    fn parse(mut f: BinFile) -> Result<Self, Error> {
        Self::parse_from(&mut f, true)
    }

    fn parse_with(mut f: BinFile, check_b2: bool) -> Result<Self, Error> {
        Self::parse_from(&mut f, check_b2)
    }

    /// Reads sections 1 to 10 of `f` (B2's points checked in the group when
    /// `check_b2`); other sections are left to the caller.
    pub fn parse_from(f: &mut BinFile, check_b2: bool) -> Result<Self, Error> {
        let path = &f.path().to_path_buf();
        let s1 = f.section(1, "header")?;
        if s1.len() != 4 || u32_le(&s1) != 1 {
            return Err(Error::format(
                path,
                "section 1 (header)",
                "not a Groth16 key (protocol ≠ 1)",
            ));
        }
        let s2 = f.section(2, "Groth16 header")?;
        let mut c = Cursor::new(&s2, path, "section 2 (Groth16 header)");
        let n8q = c.u32("n8q")?;
        let q = c.take(n8q as usize, "q")?;
        if n8q != 32 || q != Fq::MODULUS.to_bytes_le().as_slice() {
            return Err(Error::WrongCurve {
                path: path.to_path_buf(),
                what: "the base field's prime q",
                found: num_bigint::BigUint::from_bytes_le(q).to_string(),
            });
        }
        let n8r = c.u32("n8r")?;
        let r = c.take(n8r as usize, "r")?;
        if n8r != 32 || r != Fr::MODULUS.to_bytes_le().as_slice() {
            return Err(Error::WrongCurve {
                path: path.to_path_buf(),
                what: "the scalar field's prime r",
                found: num_bigint::BigUint::from_bytes_le(r).to_string(),
            });
        }
        let n_vars = c.u32("nVars")? as usize;
        let n_public = c.u32("nPublic")? as usize;
        let domain_size = c.u32("domainSize")? as usize;
        if !domain_size.is_power_of_two() || n_public >= n_vars {
            return Err(Error::format(
                path,
                "section 2 (Groth16 header)",
                format!(
                    "nVars {n_vars}, nPublic {n_public}, domainSize {domain_size}: inconsistent"
                ),
            ));
        }
        let p1 = |c: &mut Cursor<'_>, name: &str| -> Result<G1Affine, Error> {
            g1_from_lem(c.take(G1_BYTES, name)?).ok_or_else(|| {
                Error::format(path, format!("section 2 / {name}"), "not a point of G1")
            })
        };
        let p2 = |c: &mut Cursor<'_>, name: &str| -> Result<G2Affine, Error> {
            g2_from_lem(c.take(G2_BYTES, name)?).ok_or_else(|| {
                Error::format(
                    path,
                    format!("section 2 / {name}"),
                    "not a point of G2's group",
                )
            })
        };
        let alpha_g1 = p1(&mut c, "alpha1")?;
        let beta_g1 = p1(&mut c, "beta1")?;
        let beta_g2 = p2(&mut c, "beta2")?;
        let gamma_g2 = p2(&mut c, "gamma2")?;
        let delta_g1 = p1(&mut c, "delta1")?;
        let delta_g2 = p2(&mut c, "delta2")?;
        let mut sized =
            |id: u32, name: &str, count: usize, size: usize| -> Result<Vec<u8>, Error> {
                let got = f.size(id, name)?;
                if got != (count * size) as u64 {
                    return Err(Error::format(
                        path,
                        format!("section {id} ({name})"),
                        format!("{got} bytes, the header implies {}", count * size),
                    ));
                }
                f.section(id, name)
            };
        let n_private = n_vars - n_public - 1;
        let ic = g1s(
            &sized(3, "IC", n_public + 1, G1_BYTES)?,
            path,
            "section 3 (IC)",
        )?;
        let a = g1s(&sized(5, "A", n_vars, G1_BYTES)?, path, "section 5 (A)")?;
        let b_g1 = g1s(&sized(6, "B1", n_vars, G1_BYTES)?, path, "section 6 (B1)")?;
        let b_g2 = g2s_with(
            &sized(7, "B2", n_vars, G2_BYTES)?,
            path,
            "section 7 (B2)",
            check_b2,
        )?;
        let l = g1s(&sized(8, "L", n_private, G1_BYTES)?, path, "section 8 (L)")?;
        let h = g1s(
            &sized(9, "H", domain_size, G1_BYTES)?,
            path,
            "section 9 (H)",
        )?;
        let s4 = f.section(4, "coefficients")?;
        let coefs = read_coefs(&s4, path, n_vars, domain_size)?;
        let s10 = f.section(10, "contributions")?;
        let (cs_hash, contributions) = read_mpc(&s10, path)?;
        Ok(Zkey {
            n_vars,
            n_public,
            domain_size,
            alpha_g1,
            beta_g1,
            beta_g2,
            gamma_g2,
            delta_g1,
            delta_g2,
            ic,
            coefs,
            a,
            b_g1,
            b_g2,
            l,
            h,
            cs_hash,
            contributions,
        })
    }

    /// The proving key (its verifying key inside). It proves with
    /// [`super::qap::SnarkjsReduction`].
    pub fn proving_key(&self) -> ProvingKey<Bn254> {
        ProvingKey {
            vk: VerifyingKey {
                alpha_g1: self.alpha_g1,
                beta_g2: self.beta_g2,
                gamma_g2: self.gamma_g2,
                delta_g2: self.delta_g2,
                gamma_abc_g1: self.ic.clone(),
            },
            beta_g1: self.beta_g1,
            delta_g1: self.delta_g1,
            a_query: self.a.clone(),
            b_g1_query: self.b_g1.clone(),
            b_g2_query: self.b_g2.clone(),
            h_query: self.h.clone(),
            l_query: self.l.clone(),
        }
    }

    /// The hash chain's state after the contributions: Blake2b over the
    /// circuit hash and each contribution's public key.
    pub fn transcript_hasher(&self, upto: usize) -> Blake2b512 {
        let mut h = Blake2b512::new();
        h.update(self.cs_hash);
        for c in &self.contributions[..upto] {
            c.hash_into(&mut h);
        }
        h
    }

    /// The transcript hash: Blake2b-512 of the circuit hash and every
    /// contribution (what the setup record cites).
    pub fn transcript_hash(&self) -> [u8; 64] {
        self.transcript_hasher(self.contributions.len())
            .finalize()
            .into()
    }
}

fn read_coefs(s: &[u8], path: &Path, n_vars: usize, domain: usize) -> Result<Vec<Coef>, Error> {
    let mut c = Cursor::new(s, path, "section 4 (coefficients)");
    let n = c.u32("count")? as usize;
    if c.left() != n * 44 {
        return Err(Error::format(
            path,
            "section 4 (coefficients)",
            format!("{} bytes for {n} coefficients", c.left()),
        ));
    }
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let b = c.take(44, "coefficient")?;
        let (matrix, row, wire) = (u32_le(&b[..4]), u32_le(&b[4..8]), u32_le(&b[8..12]));
        let value = coef_from(&b[12..]);
        match value {
            Some(value) if matrix <= 1 && (row as usize) < domain && (wire as usize) < n_vars => {
                out.push(Coef {
                    matrix,
                    row,
                    wire,
                    value,
                })
            }
            _ => {
                return Err(Error::format(
                    path,
                    format!("section 4 (coefficients)[{i}]"),
                    "matrix, row, wire or value out of range",
                ))
            }
        }
    }
    Ok(out)
}

fn read_mpc(s: &[u8], path: &Path) -> Result<([u8; 64], Vec<Contribution>), Error> {
    let section = "section 10 (contributions)";
    let mut c = Cursor::new(s, path, section);
    let mut cs_hash = [0u8; 64];
    cs_hash.copy_from_slice(c.take(64, "csHash")?);
    let n = c.u32("count")?;
    let mut out = Vec::new();
    for i in 0..n {
        let field = |what: &str| format!("{section}[{i}] / {what}");
        let g1 = |c: &mut Cursor<'_>, what: &str| -> Result<G1Affine, Error> {
            g1_from_lem(c.take(G1_BYTES, what)?)
                .ok_or_else(|| Error::format(path, field(what), "not a point of G1"))
        };
        let delta_after = g1(&mut c, "deltaAfter")?;
        let g1_s = g1(&mut c, "g1_s")?;
        let g1_sx = g1(&mut c, "g1_sx")?;
        let g2_spx = g2_from_lem(c.take(G2_BYTES, "g2_spx")?)
            .ok_or_else(|| Error::format(path, field("g2_spx"), "not a point of G2's group"))?;
        let mut transcript = [0u8; 64];
        transcript.copy_from_slice(c.take(64, "transcript")?);
        let kind = c.u32("type")?;
        let len = c.u32("parameters")? as usize;
        let params = c.take(len, "parameters")?;
        let (mut name, mut exp, mut hash) = (None, None, None);
        let mut p = Cursor::new(params, path, section);
        let mut last = 0u8;
        while p.left() > 0 {
            let t = p.take(1, "parameter type")?[0];
            if t <= last {
                return Err(Error::format(path, field("parameters"), "not sorted"));
            }
            last = t;
            match t {
                1 => {
                    let l = p.take(1, "name length")?[0] as usize;
                    name = Some(String::from_utf8_lossy(p.take(l, "name")?).into_owned());
                }
                2 => exp = Some(p.take(1, "numIterationsExp")?[0]),
                3 => {
                    let l = p.take(1, "beacon hash length")?[0] as usize;
                    hash = Some(p.take(l, "beacon hash")?.to_vec());
                }
                _ => {
                    return Err(Error::format(
                        path,
                        field("parameters"),
                        format!("unknown parameter {t}"),
                    ))
                }
            }
        }
        let beacon = match (kind, exp, hash) {
            (0, None, None) => None,
            (1, Some(e), Some(h)) => Some((e, h)),
            _ => {
                return Err(Error::format(
                    path,
                    field("type"),
                    format!("type {kind} with inconsistent beacon parameters"),
                ))
            }
        };
        out.push(Contribution {
            delta_after,
            g1_s,
            g1_sx,
            g2_spx,
            transcript,
            name,
            beacon,
            cp: None,
        });
    }
    if c.left() != 0 {
        return Err(Error::format(
            path,
            section,
            format!("{} bytes after the contributions", c.left()),
        ));
    }
    Ok((cs_hash, out))
}
