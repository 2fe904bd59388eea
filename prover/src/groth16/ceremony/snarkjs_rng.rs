//! snarkjs's randomness, bit for bit, where a verifier must recompute it:
//! ffjavascript's ChaCha20 stream, its `fromRng` for field elements and
//! points, `hashToG2` (the base of every proof of knowledge) and the
//! beacon's iterated SHA-256.
//!
//! Two quirks are kept: `fromRng` takes the random integer as the
//! element's *Montgomery* form, and a point's y is the root whose "sign"
//! (greater than (p−1)/2, the imaginary part first in Fq2) is a random bit.

use ark_bn254::{Fq, Fq2, Fr, G1Affine, G2Affine, G2Projective};
use ark_ec::short_weierstrass::SWCurveConfig;
use ark_ec::{AffineRepr, CurveGroup, PrimeGroup};
use ark_ff::{BigInt, Field, PrimeField, Zero};
use sha2::{Digest, Sha256};

/// ffjavascript's ChaCha20 stream (a 256-bit key, a 128-bit block counter
/// in words 12–15, no nonce).
pub struct ChaCha {
    state: [u32; 16],
    buf: [u32; 16],
    idx: usize,
}

fn quarter(s: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    s[a] = s[a].wrapping_add(s[b]);
    s[d] = (s[d] ^ s[a]).rotate_left(16);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_left(12);
    s[a] = s[a].wrapping_add(s[b]);
    s[d] = (s[d] ^ s[a]).rotate_left(8);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_left(7);
}

impl ChaCha {
    /// The stream of `seed` (eight words).
    pub fn new(seed: [u32; 8]) -> Self {
        let mut state = [0u32; 16];
        state[..4].copy_from_slice(&[0x6170_7865, 0x3320_646E, 0x7962_2D32, 0x6B20_6574]);
        state[4..12].copy_from_slice(&seed);
        ChaCha {
            state,
            buf: [0; 16],
            idx: 16,
        }
    }

    /// The stream seeded by the first 32 bytes of `hash`, read as eight
    /// big-endian words.
    pub fn from_hash(hash: &[u8]) -> Self {
        let mut seed = [0u32; 8];
        for (i, w) in seed.iter_mut().enumerate() {
            *w = u32::from_be_bytes([
                hash[4 * i],
                hash[4 * i + 1],
                hash[4 * i + 2],
                hash[4 * i + 3],
            ]);
        }
        Self::new(seed)
    }

    fn update(&mut self) {
        let mut b = self.state;
        for _ in 0..10 {
            quarter(&mut b, 0, 4, 8, 12);
            quarter(&mut b, 1, 5, 9, 13);
            quarter(&mut b, 2, 6, 10, 14);
            quarter(&mut b, 3, 7, 11, 15);
            quarter(&mut b, 0, 5, 10, 15);
            quarter(&mut b, 1, 6, 11, 12);
            quarter(&mut b, 2, 7, 8, 13);
            quarter(&mut b, 3, 4, 9, 14);
        }
        for (x, s) in b.iter_mut().zip(self.state.iter()) {
            *x = x.wrapping_add(*s);
        }
        self.buf = b;
        self.idx = 0;
        for i in 12..16 {
            self.state[i] = self.state[i].wrapping_add(1);
            if self.state[i] != 0 {
                break;
            }
        }
    }

    /// The next word.
    pub fn next_u32(&mut self) -> u32 {
        if self.idx == 16 {
            self.update();
        }
        let x = self.buf[self.idx];
        self.idx += 1;
        x
    }

    /// The next 64 bits: the first word is the high half.
    pub fn next_u64(&mut self) -> u64 {
        let hi = u64::from(self.next_u32());
        (hi << 32) | u64::from(self.next_u32())
    }

    /// The next bit.
    pub fn next_bool(&mut self) -> bool {
        self.next_u32() & 1 == 1
    }

    /// 254 random bits below the modulus of `F`, taken as a Montgomery form.
    fn raw<F: PrimeField<BigInt = BigInt<4>>>(&mut self) -> BigInt<4> {
        loop {
            let mut limbs = [0u64; 4];
            for l in limbs.iter_mut() {
                *l = self.next_u64();
            }
            limbs[3] &= (1u64 << 62) - 1; // both BN254 primes have 254 bits
            let v = BigInt::new(limbs);
            if v < F::MODULUS {
                return v;
            }
        }
    }

    /// ffjavascript's `Fr.fromRng`.
    pub fn fr(&mut self) -> Fr {
        Fr::new_unchecked(self.raw::<Fr>())
    }

    /// ffjavascript's `Fq.fromRng`.
    pub fn fq(&mut self) -> Fq {
        Fq::new_unchecked(self.raw::<Fq>())
    }
}

fn fq_negative(x: &Fq) -> bool {
    x.into_bigint() > Fq::MODULUS_MINUS_ONE_DIV_TWO
}

fn fq2_negative(x: &Fq2) -> bool {
    if x.c1.is_zero() {
        fq_negative(&x.c0)
    } else {
        fq_negative(&x.c1)
    }
}

/// ffjavascript's `G1.fromRng`.
pub fn g1_from_rng(rng: &mut ChaCha) -> G1Affine {
    loop {
        let x = rng.fq();
        let greatest = rng.next_bool();
        let x3b = x.square() * x + ark_bn254::g1::Config::COEFF_B;
        if let Some(mut y) = x3b.sqrt() {
            if greatest != fq_negative(&y) {
                y = -y;
            }
            return G1Affine::new_unchecked(x, y);
        }
    }
}

/// G2's cofactor as ffjavascript multiplies by it.
const G2_COFACTOR: [u64; 4] = [
    0x345f_2299_c0f9_fa8d,
    0x06ce_ecda_572a_2489,
    0xb850_45b6_8181_585e,
    0x3064_4e72_e131_a029,
];

/// ffjavascript's `G2.fromRng`.
pub fn g2_from_rng(rng: &mut ChaCha) -> G2Affine {
    loop {
        let c0 = rng.fq();
        let c1 = rng.fq();
        let x = Fq2::new(c0, c1);
        let greatest = rng.next_bool();
        let x3b = x.square() * x + ark_bn254::g2::Config::COEFF_B;
        if let Some(mut y) = x3b.sqrt() {
            if greatest != fq2_negative(&y) {
                y = -y;
            }
            let p: G2Projective = G2Affine::new_unchecked(x, y).into_group();
            return p.mul_bigint(G2_COFACTOR).into_affine();
        }
    }
}

/// snarkjs's `hashToG2`: the point of a transcript hash.
pub fn hash_to_g2(hash: &[u8; 64]) -> G2Affine {
    g2_from_rng(&mut ChaCha::from_hash(hash))
}

/// snarkjs's `rngFromBeaconParams`: SHA-256 iterated 2^`exp` times on the
/// beacon value, then a ChaCha stream seeded by the result.
pub fn beacon_rng(beacon: &[u8], exp: u8) -> ChaCha {
    let mut h: Vec<u8> = beacon.to_vec();
    for _ in 0..(1u64 << exp) {
        h = Sha256::digest(&h).to_vec();
    }
    ChaCha::from_hash(&h)
}
