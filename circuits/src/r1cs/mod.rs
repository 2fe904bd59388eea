//! R1CS over BN254's scalar field, hand-written on `ark-relations`: each
//! linear combination carries its value, so the witness is computed beside
//! the constraints and a synthesis needs no second pass.
//!
//! Primitives: products, booleans, range checks (by bit decomposition, or
//! by a log-derivative lookup in a [`logup`] builder), is-zero. The statement circuit is in [`circuit`]; Poseidon's gadget is in
//! [`crate::poseidon::constraints`].

pub mod circuit;
pub mod logup;

use std::cell::RefCell;

use ark_ff::{AdditiveGroup, Field, PrimeField};
use ark_relations::r1cs::{
    ConstraintMatrices, ConstraintSystemRef, LinearCombination, SynthesisError, Variable,
};
use num_bigint::BigUint;

use crate::Fr;

/// A linear combination of variables and its value under the witness.
#[derive(Clone, Debug)]
pub struct Lc {
    /// The combination, sorted by variable without duplicates.
    pub lc: LinearCombination<Fr>,
    /// Its value.
    pub value: Fr,
}

impl Lc {
    /// The constant `c`.
    pub fn constant(c: Fr) -> Self {
        let lc = if c == Fr::ZERO {
            LinearCombination::zero()
        } else {
            LinearCombination(vec![(c, Variable::One)])
        };
        Lc { lc, value: c }
    }

    /// `self + other`.
    pub fn add(&self, other: &Lc) -> Lc {
        Lc {
            lc: &self.lc + &other.lc,
            value: self.value + other.value,
        }
    }

    /// `self − other`.
    pub fn sub(&self, other: &Lc) -> Lc {
        Lc {
            lc: &self.lc - &other.lc,
            value: self.value - other.value,
        }
    }

    /// `k · self`.
    pub fn scale(&self, k: Fr) -> Lc {
        Lc {
            lc: &self.lc * k,
            value: self.value * k,
        }
    }

    /// `self + c`.
    pub fn add_const(&self, c: Fr) -> Lc {
        self.add(&Lc::constant(c))
    }

    /// `Σ k_i · x_i`, built in one pass (folding `add` would be quadratic).
    pub fn linear<'a>(terms: impl IntoIterator<Item = (Fr, &'a Lc)>) -> Lc {
        let mut raw = Vec::new();
        let mut value = Fr::ZERO;
        for (k, x) in terms {
            value += k * x.value;
            raw.extend(x.lc.0.iter().map(|(c, v)| (k * c, *v)));
        }
        let mut lc = LinearCombination(raw);
        lc.compactify();
        lc.0.retain(|(c, _)| *c != Fr::ZERO);
        Lc { lc, value }
    }

    /// `Σ x_i`.
    pub fn sum<'a>(items: impl IntoIterator<Item = &'a Lc>) -> Lc {
        Lc::linear(items.into_iter().map(|x| (Fr::ONE, x)))
    }
}

/// The value of a field element as an integer.
pub fn to_biguint(x: Fr) -> BigUint {
    x.into_bigint().into()
}

/// Constraints recorded straight into matrices: what the prover needs, without
/// `ark-relations`' map of symbolic combinations and its inlining pass (a
/// third of proving time at 64x1024).
#[derive(Default)]
struct Recorder {
    instance: Vec<Fr>,
    witness: Vec<Fr>,
    rows: [Vec<Vec<(Fr, Variable)>>; 3],
}

enum Sink {
    Ark(ConstraintSystemRef<Fr>),
    Record(RefCell<Recorder>),
}

/// A circuit as the prover needs it: matrices and the full assignment
/// `[1, public inputs…, witnesses…]`.
pub struct Recorded {
    /// The A, B, C matrices (columns: 1, inputs, witnesses).
    pub matrices: ConstraintMatrices<Fr>,
    /// The full assignment.
    pub assignment: Vec<Fr>,
    /// The committed witnesses (indices among the witnesses, in commitment
    /// order); empty without a [`logup`] builder.
    pub committed: Vec<usize>,
}

/// Allocates variables and enforces constraints, into an `ark-relations`
/// constraint system (setup, satisfiability checks) or a recorder (proving).
pub struct Builder {
    sink: Sink,
    /// The log-derivative range checks, when this builder does them.
    logup: Option<RefCell<logup::LogUp>>,
}

impl Builder {
    /// A builder over `cs`.
    pub fn new(cs: ConstraintSystemRef<Fr>) -> Self {
        Builder {
            sink: Sink::Ark(cs),
            logup: None,
        }
    }

    /// A builder that records matrices and assignment for the prover.
    pub fn recording() -> Self {
        Builder {
            sink: Sink::Record(RefCell::new(Recorder {
                instance: vec![Fr::ONE],
                ..Recorder::default()
            })),
            logup: None,
        }
    }

    /// The recorded matrices and assignment (`None` for an `ark` builder).
    pub fn into_recorded(self) -> Option<Recorded> {
        let committed = self.committed();
        let Sink::Record(r) = self.sink else {
            return None;
        };
        let r = r.into_inner();
        let n_inst = r.instance.len();
        let column = |v: Variable| match v {
            Variable::One => 0,
            Variable::Instance(i) => i,
            Variable::Witness(j) => n_inst + j,
            // Never produced by this builder.
            Variable::Zero | Variable::SymbolicLc(_) => 0,
        };
        let [a, b, c] = r.rows.map(|rows| {
            rows.into_iter()
                .map(|row| {
                    row.into_iter()
                        .map(|(k, v)| (k, column(v)))
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        });
        let nnz = |m: &Vec<Vec<(Fr, usize)>>| m.iter().map(Vec::len).sum();
        let matrices = ConstraintMatrices {
            num_instance_variables: n_inst,
            num_witness_variables: r.witness.len(),
            num_constraints: a.len(),
            a_num_non_zero: nnz(&a),
            b_num_non_zero: nnz(&b),
            c_num_non_zero: nnz(&c),
            a,
            b,
            c,
        };
        let mut assignment = r.instance;
        assignment.extend(r.witness);
        Some(Recorded {
            matrices,
            assignment,
            committed,
        })
    }

    /// Number of constraints so far.
    pub fn num_constraints(&self) -> usize {
        match &self.sink {
            Sink::Ark(cs) => cs.num_constraints(),
            Sink::Record(r) => r.borrow().rows[0].len(),
        }
    }

    /// A private variable of value `value`.
    pub fn witness(&self, value: Fr) -> Result<Lc, SynthesisError> {
        let v = match &self.sink {
            Sink::Ark(cs) => cs.new_witness_variable(|| Ok(value))?,
            Sink::Record(r) => {
                let mut r = r.borrow_mut();
                r.witness.push(value);
                Variable::Witness(r.witness.len() - 1)
            }
        };
        Ok(Lc {
            lc: LinearCombination(vec![(Fr::ONE, v)]),
            value,
        })
    }

    /// A public input of value `value`.
    pub fn input(&self, value: Fr) -> Result<Lc, SynthesisError> {
        let v = match &self.sink {
            Sink::Ark(cs) => cs.new_input_variable(|| Ok(value))?,
            Sink::Record(r) => {
                let mut r = r.borrow_mut();
                r.instance.push(value);
                Variable::Instance(r.instance.len() - 1)
            }
        };
        Ok(Lc {
            lc: LinearCombination(vec![(Fr::ONE, v)]),
            value,
        })
    }

    /// Enforces `a · b = c`.
    pub fn enforce(&self, a: &Lc, b: &Lc, c: &Lc) -> Result<(), SynthesisError> {
        match &self.sink {
            Sink::Ark(cs) => cs.enforce_constraint(a.lc.clone(), b.lc.clone(), c.lc.clone()),
            Sink::Record(r) => {
                let mut r = r.borrow_mut();
                r.rows[0].push(a.lc.0.clone());
                r.rows[1].push(b.lc.0.clone());
                r.rows[2].push(c.lc.0.clone());
                Ok(())
            }
        }
    }

    /// Enforces `a = b`.
    pub fn enforce_equal(&self, a: &Lc, b: &Lc) -> Result<(), SynthesisError> {
        self.enforce(&a.sub(b), &Lc::constant(Fr::ONE), &Lc::constant(Fr::ZERO))
    }

    /// A new variable `c = a · b`.
    pub fn mul(&self, a: &Lc, b: &Lc) -> Result<Lc, SynthesisError> {
        let c = self.witness(a.value * b.value)?;
        self.enforce(a, b, &c)?;
        Ok(c)
    }

    /// A variable constrained to `{0, 1}`: `b · (1 − b) = 0`. The value is
    /// taken as given so that tests can feed a non-boolean one.
    pub fn boolean(&self, value: Fr) -> Result<Lc, SynthesisError> {
        let b = self.witness(value)?;
        let one_minus = Lc::constant(Fr::ONE).sub(&b);
        self.enforce(&b, &one_minus, &Lc::constant(Fr::ZERO))?;
        Ok(b)
    }

    /// `bits` booleans of the given values; returns them and `Σ b_i 2^i`.
    pub fn bits_of(&self, values: &[Fr]) -> Result<(Vec<Lc>, Lc), SynthesisError> {
        let bits = values
            .iter()
            .map(|&v| self.boolean(v))
            .collect::<Result<Vec<_>, _>>()?;
        let mut power = Fr::ONE;
        let mut terms = Vec::with_capacity(bits.len());
        for _ in 0..bits.len() {
            terms.push(power);
            power.double_in_place();
        }
        let composed = Lc::linear(terms.into_iter().zip(&bits));
        Ok((bits, composed))
    }

    /// The low `n` bits of an integer, as field elements.
    pub fn bit_values(value: &BigUint, n: usize) -> Vec<Fr> {
        (0..n as u64)
            .map(|i| Fr::from(u64::from(value.bit(i))))
            .collect()
    }

    /// The width of the parts a value of `n` bits is cut into by
    /// [`Builder::ranged`]: bits, or lookup chunks.
    pub fn part_bits(&self) -> usize {
        self.logup.as_ref().map_or(1, |l| l.borrow().table_bits())
    }

    /// The parts of `value` that [`Builder::ranged`] takes for `n` bits:
    /// its `n` bits, or its `⌈n/k⌉` chunks of `k` bits in a lookup builder.
    pub fn range_parts(&self, value: &BigUint, n: usize) -> Vec<Fr> {
        let k = self.part_bits();
        let mask = (BigUint::from(1u8) << k) - 1u8;
        (0..n.div_ceil(k))
            .map(|i| Fr::from((value >> (i * k)) & &mask))
            .collect()
    }

    /// A value in `[0, 2^n)` from its parts (of [`Builder::range_parts`],
    /// taken as given so that tests can feed wrong ones), returned as
    /// `Σ part_i 2^{k i}`: `n` booleans (`n` constraints), or, in a lookup
    /// builder, committed chunks looked up in `[0, 2^k)` (a top chunk of
    /// `b < k` bits is looked up twice, as `c` and `c · 2^{k−b}`).
    pub fn ranged(&self, parts: &[Fr], n: usize) -> Result<Lc, SynthesisError> {
        match &self.logup {
            None => Ok(self.bits_of(parts)?.1),
            Some(l) => logup::ranged(self, l, parts, n),
        }
    }

    /// Enforces `0 ≤ x < 2^n` (as integers): `x = Σ b_i 2^i` with `n`
    /// booleans, `n + 1` constraints (or by lookup, [`Builder::ranged`]).
    pub fn range_check(&self, x: &Lc, n: usize) -> Result<(), SynthesisError> {
        let composed = self.ranged(&self.range_parts(&to_biguint(x.value), n), n)?;
        self.enforce_equal(x, &composed)
    }

    /// A flag `z = (x == 0)`: `x · inv = 1 − z` and `x · z = 0`.
    pub fn is_zero(&self, x: &Lc, flag: Fr) -> Result<Lc, SynthesisError> {
        let z = self.witness(flag)?;
        let inv = self.witness(x.value.inverse().unwrap_or(Fr::ZERO))?;
        self.enforce(x, &inv, &Lc::constant(Fr::ONE).sub(&z))?;
        self.enforce(x, &z, &Lc::constant(Fr::ZERO))?;
        Ok(z)
    }
}
