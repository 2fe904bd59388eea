//! Dataset commitments (SPEC §7): `BytesHash`, the record tree and
//! `H_3(R, record_count, σ_D)`.

use ark_ff::PrimeField;

use crate::merkle::{self, MerklePath};
use crate::poseidon::{hash, hash16_chunk};
use crate::{Error, Fr};

/// Bytes per chunk: 31 bytes (248 bits) are always below `r`.
pub const CHUNK_BYTES: usize = 31;

/// `BytesHash` of one record.
pub fn bytes_hash(record: &[u8]) -> Fr {
    let chunks: Vec<Fr> = record
        .chunks(CHUNK_BYTES)
        .map(|c| {
            let mut padded = [0u8; CHUNK_BYTES];
            padded[..c.len()].copy_from_slice(c);
            Fr::from_be_bytes_mod_order(&padded)
        })
        .collect();
    let init = Fr::from(record.len() as u64);
    if chunks.is_empty() {
        // max(1, …): the empty record still takes one H_16 of zeros.
        return hash16_chunk(init, &[]);
    }
    chunks.chunks(15).fold(init, hash16_chunk)
}

/// The records of a JSONL or CSV file: its lines without `\n` or `\r\n`,
/// empty lines skipped.
pub fn line_records(bytes: &[u8]) -> Vec<&[u8]> {
    bytes
        .split(|&b| b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .filter(|line| !line.is_empty())
        .collect()
}

/// The records of a dataset given as the contents of its files, in order:
/// each file's [`line_records`], or each whole file with `whole_files`
/// (what `poa dataset` commits to).
pub fn file_records<F: AsRef<[u8]>>(files: &[F], whole_files: bool) -> Vec<&[u8]> {
    if whole_files {
        files.iter().map(AsRef::as_ref).collect()
    } else {
        files
            .iter()
            .flat_map(|f| line_records(f.as_ref()))
            .collect()
    }
}

/// The dataset of the file contents `files` ([`file_records`]); an empty
/// one (no record) is an error.
pub fn parse_files<F: AsRef<[u8]>>(files: &[F], whole_files: bool) -> Result<Dataset, Error> {
    Dataset::new(&file_records(files, whole_files))
}

/// A committed dataset: the record hashes and the tree over them.
#[derive(Clone, Debug)]
pub struct Dataset {
    /// `BytesHash` of each record, in order.
    pub record_hashes: Vec<Fr>,
    /// The Merkle root `R` over the record hashes.
    pub root: Fr,
}

impl Dataset {
    /// Hashes the records and builds the tree.
    pub fn new<R: AsRef<[u8]> + Sync>(records: &[R]) -> Result<Self, Error> {
        if records.is_empty() {
            return Err(Error::EmptyDataset);
        }
        let record_hashes = crate::parallel::map(records, |r| bytes_hash(r.as_ref()));
        let root = merkle::root(&record_hashes);
        Ok(Dataset {
            record_hashes,
            root,
        })
    }

    /// `H_3(R, record_count, σ_D)`.
    pub fn commitment(&self, salt: Fr) -> Fr {
        commitment(self.root, self.record_hashes.len() as u64, salt)
    }

    /// The inclusion path of record `index` under `R`.
    pub fn record_path(&self, index: usize) -> Result<MerklePath, Error> {
        merkle::path(&self.record_hashes, index)
    }
}

/// `H_3(R, record_count, σ_D)`.
pub fn commitment(root: Fr, record_count: u64, salt: Fr) -> Fr {
    // Arity 3 is always in range.
    hash(&[root, Fr::from(record_count), salt]).unwrap_or_default()
}
