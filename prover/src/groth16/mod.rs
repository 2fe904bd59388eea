//! Groth16 over BN254 (arkworks): setup, keys and proving of the statement
//! circuit `poa_circuits::r1cs::circuit`.

mod keys;
mod prove;
mod setup;

pub use keys::ProvingKeyFile;
pub use prove::{prove, ProveTimings};
pub use setup::{setup_insecure, SetupOutput};

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;

use crate::Error;

/// A CSPRNG seeded from the operating system, or from `seed` when given
/// (reproducible development setups only).
pub fn rng(seed: Option<[u8; 32]>) -> Result<ChaCha20Rng, Error> {
    let seed = match seed {
        Some(s) => s,
        None => {
            let mut s = [0u8; 32];
            getrandom::getrandom(&mut s).map_err(|e| Error::Randomness(e.to_string()))?;
            s
        }
    };
    Ok(ChaCha20Rng::from_seed(seed))
}
