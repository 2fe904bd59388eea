//! The R1CS-to-QAP reduction of snarkjs (and circom's tools), which keys
//! from a `.ptau` or a `.zkey` are made for.
//!
//! The quotient is never divided out: the prover evaluates
//! `A·B − C` on the odd points of the domain of size 2n (the coset
//! `ω_2n·H`), where it equals `h·t` since `t = xⁿ − 1` is −2 there, and the
//! key's H query holds the 2n-domain's Lagrange basis at those points
//! (over δ). With `A·B − C = h·t` of degree at most 2n − 2 and zero on H,
//! `Σ_i (A·B − C)(ω_2n^(2i+1)) · L_{2i+1}(τ) = h(τ)·t(τ)`.
//!
//! arkworks' own reduction (`LibsnarkReduction`) divides by `t` on another
//! coset and needs an H query of `τ^i·t(τ)/δ`; keys of one do not prove
//! with the other.

use ark_ff::PrimeField;
use ark_groth16::r1cs_to_qap::{evaluate_constraint, LibsnarkReduction, R1CSToQAP};
use ark_poly::EvaluationDomain;
use ark_relations::r1cs::{ConstraintMatrices, ConstraintSystemRef, SynthesisError};
use rayon::prelude::*;

/// snarkjs's reduction.
pub struct SnarkjsReduction;

impl R1CSToQAP for SnarkjsReduction {
    #[allow(clippy::type_complexity)]
    fn instance_map_with_evaluation<F: PrimeField, D: EvaluationDomain<F>>(
        cs: ConstraintSystemRef<F>,
        t: &F,
    ) -> Result<(Vec<F>, Vec<F>, Vec<F>, F, usize, usize), SynthesisError> {
        // The A, B, C polynomials are the same as libsnark's.
        LibsnarkReduction::instance_map_with_evaluation::<F, D>(cs, t)
    }

    fn witness_map_from_matrices<F: PrimeField, D: EvaluationDomain<F>>(
        matrices: &ConstraintMatrices<F>,
        num_inputs: usize,
        num_constraints: usize,
        full_assignment: &[F],
    ) -> Result<Vec<F>, SynthesisError> {
        let domain =
            D::new(num_constraints + num_inputs).ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
        let n = domain.size();
        let root =
            F::get_root_of_unity(2 * n as u64).ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
        let coset = domain
            .get_coset(root)
            .ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
        let eval = |rows: &[Vec<(F, usize)>]| -> Vec<F> {
            let mut v = vec![F::zero(); n];
            v[..num_constraints]
                .par_iter_mut()
                .zip(rows.par_iter())
                .for_each(|(x, row)| *x = evaluate_constraint(row, full_assignment));
            v
        };
        let mut a = eval(&matrices.a);
        a[num_constraints..num_constraints + num_inputs]
            .copy_from_slice(&full_assignment[..num_inputs]);
        let mut b = eval(&matrices.b);
        let mut c = eval(&matrices.c);
        for v in [&mut a, &mut b, &mut c] {
            domain.ifft_in_place(v);
            coset.fft_in_place(v);
        }
        a.par_iter_mut()
            .zip(b.par_iter())
            .zip(c.par_iter())
            .for_each(|((a, b), c)| *a = *a * b - c);
        Ok(a)
    }

    fn h_query_scalars<F: PrimeField, D: EvaluationDomain<F>>(
        max_power: usize,
        t: F,
        _zt: F,
        delta_inverse: F,
    ) -> Result<Vec<F>, SynthesisError> {
        // arkworks asks for n − 1 powers; the query has n points.
        let n = (max_power + 1).next_power_of_two();
        let large = D::new(2 * n).ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
        let l = large.evaluate_all_lagrange_coefficients(t);
        Ok(l.into_iter()
            .skip(1)
            .step_by(2)
            .map(|x| x * delta_inverse)
            .collect())
    }
}
