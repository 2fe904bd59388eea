//! The demo's real data: the red-wine quality data set (Cortez et al., 2009;
//! 1,599 wines, 11 physico-chemical features, a quality grade 3–8) as
//! shipped by the `linfa-datasets` crate. A wine is "good" when its grade is
//! 6 or more. The rows are shuffled with a fixed seed; a fifth is the
//! trainer's validation set `V` (the validation direction and the choice of
//! λ), another fifth the held-out set `T` that nothing is fitted or chosen
//! on, and the rest is dealt to contributors of different quality.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// One wine: its features and whether it is good.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The 11 features.
    pub x: Vec<f64>,
    /// Grade ≥ 6.
    pub good: bool,
}

impl Row {
    /// The row as a CSV record (the features, then the label), the unit the
    /// dataset commitment hashes (SPEC §7).
    pub fn csv(&self) -> String {
        let mut s: Vec<String> = self.x.iter().map(|v| v.to_string()).collect();
        s.push(u8::from(self.good).to_string());
        s.join(",")
    }
}

/// What a contributor's data is like.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// Rows as they are.
    Clean,
    /// This fraction of the labels flipped.
    LabelNoise(f64),
    /// A copy of another contributor's rows.
    Duplicate(usize),
    /// Off-distribution: the columns rotated by one (another file layout),
    /// labels kept.
    ColumnsRotated,
    /// Off-distribution: every feature scaled by this factor (another
    /// lab's units), labels kept.
    Rescaled(f64),
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Kind::Clean => write!(f, "clean"),
            Kind::LabelNoise(p) => write!(f, "label noise {:.0}%", p * 100.0),
            Kind::Duplicate(c) => write!(f, "duplicate of #{c}"),
            Kind::ColumnsRotated => write!(f, "off-distribution: columns rotated"),
            Kind::Rescaled(s) => write!(f, "off-distribution: units ×{s}"),
        }
    }
}

/// The demo's contributors, in slot order.
pub const KINDS: [Kind; 10] = [
    Kind::Clean,
    Kind::Clean,
    Kind::Clean,
    Kind::Clean,
    Kind::Clean,
    Kind::LabelNoise(0.3),
    Kind::LabelNoise(0.45),
    Kind::Duplicate(0),
    Kind::ColumnsRotated,
    Kind::Rescaled(3.0),
];

/// All 1,599 wines, in the file's order.
pub fn wines() -> Vec<Row> {
    let ds = linfa_datasets::winequality();
    ds.records
        .outer_iter()
        .zip(ds.targets.iter())
        .map(|(x, &grade)| Row {
            x: x.to_vec(),
            good: grade >= 6,
        })
        .collect()
}

/// A deterministic generator for the demo.
pub fn rng(seed: u64, stream: u64) -> ChaCha20Rng {
    let mut r = ChaCha20Rng::seed_from_u64(seed);
    r.set_stream(stream);
    r
}

/// A uniform index below `n`.
pub fn below(r: &mut ChaCha20Rng, n: usize) -> usize {
    // Rejection-free enough for n ≪ 2^64: the bias is below 2^-50.
    (r.next_u64() % n as u64) as usize
}

/// The validation rows, the held-out rows and each contributor's rows.
pub struct Split {
    /// `V`: the validation direction and the choice of λ.
    pub validation: Vec<Row>,
    /// `T`: held out from everything; only measured on.
    pub test: Vec<Row>,
    /// Rows per contributor, in [`KINDS`] order.
    pub contributors: Vec<Vec<Row>>,
}

/// Rows in each of `V` and `T`: a fifth of the 1,599 wines each.
pub const HELD_OUT: usize = 320;

/// All wines shuffled by `seed` (stream 1), then `V`, `T` and the rest.
pub fn three_way(seed: u64) -> (Vec<Row>, Vec<Row>, Vec<Row>, ChaCha20Rng) {
    let mut rows = wines();
    let mut r = rng(seed, 1);
    for i in (1..rows.len()).rev() {
        let j = below(&mut r, i + 1);
        rows.swap(i, j);
    }
    let test = rows.split_off(rows.len() - HELD_OUT);
    let validation = rows.split_off(rows.len() - HELD_OUT);
    (validation, test, rows, r)
}

/// Shuffles, holds out `V` and `T` and deals the rest to [`KINDS`].
pub fn split(seed: u64) -> Split {
    let (validation, test, rows, mut r) = three_way(seed);
    let own = KINDS
        .iter()
        .filter(|k| !matches!(k, Kind::Duplicate(_)))
        .count();
    let chunk = rows.len() / own;
    let mut chunks = rows.chunks(chunk);
    let mut contributors: Vec<Vec<Row>> = Vec::new();
    for kind in &KINDS {
        let rows = match kind {
            Kind::Duplicate(c) => contributors[*c].clone(),
            _ => chunks.next().map(<[Row]>::to_vec).unwrap_or_default(),
        };
        let rows = match kind {
            Kind::Clean | Kind::Duplicate(_) => rows,
            Kind::LabelNoise(p) => rows
                .into_iter()
                .map(|mut w| {
                    if (r.next_u64() as f64) < p * u64::MAX as f64 {
                        w.good = !w.good;
                    }
                    w
                })
                .collect(),
            Kind::ColumnsRotated => rows
                .into_iter()
                .map(|mut w| {
                    w.x.rotate_left(1);
                    w
                })
                .collect(),
            Kind::Rescaled(s) => rows
                .into_iter()
                .map(|mut w| {
                    w.x.iter_mut().for_each(|v| *v *= s);
                    w
                })
                .collect(),
        };
        contributors.push(rows);
    }
    Split {
        validation,
        test,
        contributors,
    }
}
