//! Range checks by log-derivative lookup (logUp, Haböck 2022) against the
//! table `T = [0, 2^k)`, for commit-and-prove Groth16 (`docs/groth16-cp.md`).
//!
//! Every looked-up value `v_j` is a linear combination of *committed*
//! witnesses (chunks), and so are the table's multiplicities `m_t`: a
//! lookup of any other wire (a plain witness, which the prover may choose
//! after seeing `α`, or a public input) is refused ([`Builder::lookup`]).
//! Once
//! all of them are allocated, [`Builder::finish_lookups`] asks the
//! challenge function for `α` (the prover derives it from the commitment to
//! the committed witnesses, so they are fixed before `α` is known), makes
//! `α` a public input and enforces
//!
//! ```text
//! inv_j · (α − v_j) = 1            (one per lookup)
//! y_t   · (α − t)   = m_t          (one per table entry)
//! Σ_j inv_j = Σ_t y_t              (one)
//! ```
//!
//! As rational functions in `α` the sums agree iff every `v_j` is in `T`
//! and `m_t` counts it (the number of lookups is far below `r`, so a count
//! cannot wrap); with `α` random after the commitment, a false instance
//! passes with probability at most `(#lookups + 2^k) / r`.

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::Arc;

use ark_ff::{AdditiveGroup, Field, PrimeField};
use ark_relations::r1cs::{SynthesisError, Variable};

use super::{Builder, Lc};
use crate::Fr;

/// The challenge as a function of the committed values, in commitment
/// order (the prover hashes its commitment to them).
pub type Challenge = Arc<dyn Fn(&[Fr]) -> Fr + Send + Sync>;

/// The lookups of a builder.
pub struct LogUp {
    table_bits: usize,
    lookups: Vec<Lc>,
    committed: Vec<usize>,
    /// `committed` as a set, for [`Builder::lookup`]'s check.
    committed_set: HashSet<usize>,
    committed_values: Vec<Fr>,
    challenge: Challenge,
    /// Added to the honest multiplicities (soundness tests).
    adjust: Vec<(usize, Fr)>,
    /// [`Builder::finish_lookups`] ran: no more lookups or commitments.
    finished: bool,
    /// The first misuse (a lookup or commitment after the end, a second
    /// end, a lookup of an uncommitted wire), reported by
    /// [`Builder::check_lookups`].
    misuse: Option<&'static str>,
}

impl LogUp {
    /// `k`, the table is `[0, 2^k)`.
    pub fn table_bits(&self) -> usize {
        self.table_bits
    }
}

impl Builder {
    /// This builder with log-derivative range checks against `[0, 2^k)`
    /// (`1 ≤ k ≤ 20`), and `challenge` to derive `α` from the committed
    /// values.
    pub fn with_logup(mut self, table_bits: usize, challenge: Challenge) -> Self {
        self.logup = Some(RefCell::new(LogUp {
            table_bits: table_bits.clamp(1, 20),
            lookups: Vec::new(),
            committed: Vec::new(),
            committed_set: HashSet::new(),
            committed_values: Vec::new(),
            challenge,
            adjust: Vec::new(),
            finished: false,
            misuse: None,
        }));
        self
    }

    /// Adds `delta` to the multiplicity of table entry `t` (soundness tests:
    /// a wrong multiplicity forced on the prover). No-op without lookups.
    pub fn adjust_multiplicity(&self, t: usize, delta: Fr) {
        if let Some(l) = &self.logup {
            l.borrow_mut().adjust.push((t, delta));
        }
    }

    /// The committed witnesses so far (indices among the witnesses).
    pub fn committed(&self) -> Vec<usize> {
        self.logup
            .as_ref()
            .map_or_else(Vec::new, |l| l.borrow().committed.clone())
    }

    /// Whether this builder's lookups are sound to key and prove: `Ok`
    /// without lookups, or once [`Builder::finish_lookups`] ran (once)
    /// with nothing looked up or committed after it; otherwise what went
    /// wrong (a lookup never enforced, or a value committed after `α`).
    pub fn check_lookups(&self) -> Result<(), String> {
        let Some(l) = &self.logup else {
            return Ok(());
        };
        let l = l.borrow();
        match (l.misuse, l.finished) {
            (Some(m), _) => Err(m.to_string()),
            (None, false) => Err(
                "the circuit never called finish_lookups: its lookups would not be enforced".into(),
            ),
            (None, true) => Ok(()),
        }
    }

    /// Records a misuse of a finished builder; the error to return.
    fn misused(l: &RefCell<LogUp>, what: &'static str) -> SynthesisError {
        let mut l = l.borrow_mut();
        l.misuse.get_or_insert(what);
        SynthesisError::Unsatisfiable
    }

    /// A committed private variable of value `value` (a plain witness
    /// without lookups). After [`Builder::finish_lookups`], an error: the
    /// value would not be bound before `α`.
    pub fn commit(&self, value: Fr) -> Result<Lc, SynthesisError> {
        if let Some(l) = &self.logup {
            if l.borrow().finished {
                return Err(Self::misused(l, "a value committed after finish_lookups"));
            }
        }
        let x = self.witness(value)?;
        if let Some(l) = &self.logup {
            let index = match x.lc.0.first() {
                Some((_, Variable::Witness(j))) => *j,
                _ => return Err(SynthesisError::AssignmentMissing),
            };
            let mut l = l.borrow_mut();
            l.committed.push(index);
            l.committed_set.insert(index);
            l.committed_values.push(value);
        }
        Ok(x)
    }

    /// Looks `x` up in the table. `x` must be a combination of committed
    /// witnesses (and the constant): a plain witness could be chosen after
    /// `α` to balance the logUp sum, so a lookup of any other wire is an
    /// error, as is a lookup after [`Builder::finish_lookups`] (it would
    /// never be enforced); either is also reported by
    /// [`Builder::check_lookups`]. On a builder without lookups it is an
    /// error too: nothing would enforce the range, so a circuit that asks
    /// for one there is built wrong.
    pub fn lookup(&self, x: &Lc) -> Result<(), SynthesisError> {
        let Some(l) = &self.logup else {
            return Err(SynthesisError::Unsatisfiable);
        };
        if l.borrow().finished {
            return Err(Self::misused(l, "a lookup after finish_lookups"));
        }
        let committed = {
            let l = l.borrow();
            x.lc.0.iter().all(|(_, v)| match v {
                Variable::One => true,
                Variable::Witness(j) => l.committed_set.contains(j),
                _ => false,
            })
        };
        if !committed {
            return Err(Self::misused(
                l,
                "a lookup of a wire that is not committed (only committed witnesses \
may be looked up: others can be chosen after the challenge)",
            ));
        }
        l.borrow_mut().lookups.push(x.clone());
        Ok(())
    }

    /// Ends the lookups: commits the multiplicities, derives `α` from the
    /// committed values, allocates it as the next public input and enforces
    /// the logUp identity. Returns `α`'s variable; `None` (and nothing
    /// enforced) without lookups. A second call is an error.
    pub fn finish_lookups(&self) -> Result<Option<Lc>, SynthesisError> {
        let Some(cell) = &self.logup else {
            return Ok(None);
        };
        if cell.borrow().finished {
            return Err(Self::misused(cell, "finish_lookups called twice"));
        }
        let (k, lookups, adjust) = {
            let mut l = cell.borrow_mut();
            (
                l.table_bits,
                std::mem::take(&mut l.lookups),
                std::mem::take(&mut l.adjust),
            )
        };
        let size = 1usize << k;
        let mut counts = vec![Fr::ZERO; size];
        for x in &lookups {
            let v = x.value.into_bigint();
            if v.0[1..].iter().all(|&w| w == 0) && (v.0[0] as usize) < size {
                counts[v.0[0] as usize] += Fr::ONE;
            }
        }
        for (t, delta) in adjust {
            if let Some(m) = counts.get_mut(t) {
                *m += delta;
            }
        }
        let m = counts
            .into_iter()
            .map(|c| self.commit(c))
            .collect::<Result<Vec<_>, _>>()?;
        cell.borrow_mut().finished = true;
        let alpha_value = {
            let l = cell.borrow();
            (l.challenge)(&l.committed_values)
        };
        let alpha = self.input(alpha_value)?;
        let one = Lc::constant(Fr::ONE);
        let mut left = Vec::with_capacity(lookups.len());
        for x in &lookups {
            let diff = alpha.sub(x);
            let inv = self.witness(diff.value.inverse().unwrap_or(Fr::ZERO))?;
            self.enforce(&inv, &diff, &one)?;
            left.push(inv);
        }
        let mut right = Vec::with_capacity(size);
        for (t, m_t) in m.iter().enumerate() {
            let diff = alpha.add_const(-Fr::from(t as u64));
            let y = self.witness(m_t.value * diff.value.inverse().unwrap_or(Fr::ZERO))?;
            self.enforce(&y, &diff, m_t)?;
            right.push(y);
        }
        self.enforce_equal(&Lc::sum(&left), &Lc::sum(&right))?;
        Ok(Some(alpha))
    }
}

/// [`Builder::ranged`] in a lookup builder.
pub(super) fn ranged(
    b: &Builder,
    l: &RefCell<LogUp>,
    parts: &[Fr],
    n: usize,
) -> Result<Lc, SynthesisError> {
    let k = l.borrow().table_bits;
    let chunks = parts
        .iter()
        .map(|&c| b.commit(c))
        .collect::<Result<Vec<_>, _>>()?;
    let mut terms = Vec::with_capacity(chunks.len());
    let mut power = Fr::ONE;
    let shift = Fr::from(2u64).pow([k as u64]);
    for (i, c) in chunks.iter().enumerate() {
        b.lookup(c)?;
        let top_bits = n.saturating_sub(i * k);
        if i + 1 == chunks.len() && top_bits < k {
            // c < 2^b ⇔ c ∈ T and c · 2^{k−b} ∈ T.
            b.lookup(&c.scale(Fr::from(2u64).pow([(k - top_bits) as u64])))?;
        }
        terms.push(power);
        power *= shift;
    }
    Ok(Lc::linear(terms.into_iter().zip(&chunks)))
}
