//! The halo2 backend (halo2-axiom, KZG on BN254, GWC multi-opening): a
//! universal SRS, keys derived from it per shape, proofs with a Keccak
//! transcript so that the same bytes verify natively and on the EVM.

mod backend;
pub use backend::private_dir;
pub mod prove;
pub mod setup;

pub use backend::Halo2;
pub use prove::prove;
pub use setup::{keygen, read_srs, srs_from_ptau, srs_insecure, write_srs};
