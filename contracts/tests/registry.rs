//! DatasetRegistry on revm: commit–reveal registration (a copier of a
//! pending transaction gains nothing), the challenge window, terms,
//! ownership, and each refusal with its custom error.

use alloy_sol_types::{SolCall, SolInterface};
use poa_contracts::build::compile_settlement;
use poa_contracts::evm::{Chain, Receipt};
use poa_contracts::settlement::Deployment;
use revm::primitives::{keccak256, Address, U256};

use poa_contracts::abi::IDatasetRegistry;
use IDatasetRegistry::IDatasetRegistryErrors as E;

const CHALLENGE: u64 = 8;

struct Setup {
    chain: Chain,
    registry: Address,
    d: Deployment,
}

fn setup() -> Setup {
    let dir = std::env::temp_dir().join(format!("poa-registry-{}", std::process::id()));
    let built = compile_settlement(&dir, &[]).unwrap();
    let mut chain = Chain::new();
    let d = Deployment::deploy(&mut chain, &built, Address::with_last_byte(1), CHALLENGE).unwrap();
    Setup {
        chain,
        registry: d.registry,
        d,
    }
}

impl Setup {
    fn send(&mut self, from: Address, data: Vec<u8>) -> Receipt {
        self.chain
            .call(from, self.registry, U256::ZERO, data)
            .unwrap()
    }
    #[track_caller]
    fn error(&mut self, from: Address, data: Vec<u8>) -> E {
        let r = self.send(from, data);
        assert!(!r.success, "expected a revert");
        E::abi_decode(&r.output, true).unwrap()
    }
    fn terms(&mut self, id: U256) -> (bool, u128) {
        let r = self.send(
            Address::ZERO,
            IDatasetRegistry::termsCall { id }.abi_encode(),
        );
        assert!(r.success);
        let t = IDatasetRegistry::termsCall::abi_decode_returns(&r.output, true).unwrap();
        (t.trainingAllowed, t.feePerEpoch)
    }
    fn owner(&mut self, id: U256) -> Address {
        let r = self.send(
            Address::ZERO,
            IDatasetRegistry::ownerOfCall { id }.abi_encode(),
        );
        Address::from_slice(&r.output[12..32])
    }
    fn commit(&mut self, id: U256, who: Address, secret: [u8; 32]) {
        let commitment = commitment(id, who, secret);
        let r = self.send(
            who,
            IDatasetRegistry::commitRegistrationCall { commitment }.abi_encode(),
        );
        assert!(r.success);
    }
    fn fees_now(&mut self, ids: Vec<U256>) -> Receipt {
        self.send(
            Address::ZERO,
            IDatasetRegistry::feesNowCall { ids }.abi_encode(),
        )
    }
}

fn commitment(id: U256, who: Address, secret: [u8; 32]) -> revm::primitives::FixedBytes<32> {
    let mut owner = [0u8; 32];
    owner[12..].copy_from_slice(who.as_slice());
    keccak256([id.to_be_bytes::<32>().as_slice(), &owner, &secret].concat())
}

fn register(id: U256, allowed: bool, fee: u128, secret: [u8; 32]) -> Vec<u8> {
    IDatasetRegistry::registerCall {
        id,
        trainingAllowed: allowed,
        feePerEpoch: fee,
        secret: secret.into(),
    }
    .abi_encode()
}

#[test]
fn the_commitment_matches_the_contract() {
    let mut s = setup();
    let (id, who, secret) = (U256::from(11), Address::with_last_byte(0xa1), [7u8; 32]);
    let r = s.send(
        Address::ZERO,
        IDatasetRegistry::registrationCommitmentCall {
            id,
            registrant: who,
            secret: secret.into(),
        }
        .abi_encode(),
    );
    assert_eq!(r.output, commitment(id, who, secret).to_vec());
    assert_ne!(r.output, commitment(id, who, [8u8; 32]).to_vec());
}

#[test]
fn a_copier_of_a_pending_registration_gains_nothing() {
    let mut s = setup();
    let alice = Address::with_last_byte(0xa1);
    let mallory = Address::with_last_byte(0xee);
    let id = U256::from(11);
    let secret = [1u8; 32];

    // The reveal without an earlier commitment, even in the commit's block
    // order, is refused; so is mallory's copy of alice's reveal.
    assert!(matches!(
        s.error(alice, register(id, true, 5, secret)),
        E::NoRegistrationCommitment(_)
    ));
    s.commit(id, alice, secret);
    assert!(matches!(
        s.error(mallory, register(id, true, 0, secret)),
        E::NoRegistrationCommitment(_)
    ));
    // Copying alice's commitment transaction binds alice, not mallory, and
    // neither reverts nor moves alice's block.
    let r = s.send(
        mallory,
        IDatasetRegistry::commitRegistrationCall {
            commitment: commitment(id, alice, secret),
        }
        .abi_encode(),
    );
    assert!(r.success, "a copied commitment must not revert");

    // Mallory sees the reveal, commits and registers first (alice's reveal
    // delayed); alice's older commitment takes the dataset over.
    s.commit(id, mallory, [2; 32]);
    assert!(s.send(mallory, register(id, true, 0, [2; 32])).success);
    assert_eq!(s.owner(id), mallory);
    assert!(s.send(alice, register(id, true, 5, secret)).success);
    assert_eq!(s.owner(id), alice);
    assert_eq!(s.terms(id), (true, 5));
    // A younger commitment cannot take it back.
    assert!(matches!(
        s.error(mallory, register(id, true, 0, [2; 32])),
        E::AlreadyRegistered(_)
    ));
    // Not usable by a settlement, nor sold, until the window has passed.
    let r = s.fees_now(vec![id]);
    assert!(matches!(
        E::abi_decode(&r.output, true).unwrap(),
        E::NotUsableYet(_)
    ));
    let sell = IDatasetRegistry::transferOwnershipCall {
        id,
        newOwner: Address::with_last_byte(0xb0),
    };
    assert!(matches!(
        s.error(alice, sell.abi_encode()),
        E::NotUsableYet(_)
    ));
    s.d.pass_challenge_window(&mut s.chain);
    assert!(s.fees_now(vec![id]).success);
    // After the window even an older commitment cannot take it over.
    let bob = Address::with_last_byte(0xb0);
    let id2 = U256::from(22);
    s.commit(id2, bob, [3; 32]);
    s.commit(id2, mallory, [4; 32]);
    assert!(s.send(mallory, register(id2, true, 0, [4; 32])).success);
    s.d.pass_challenge_window(&mut s.chain);
    assert!(matches!(
        s.error(bob, register(id2, true, 0, [3; 32])),
        E::AlreadyRegistered(_)
    ));
}

#[test]
fn register_update_transfer_and_refusals() {
    let mut s = setup();
    let alice = Address::with_last_byte(0xa1);
    let bob = Address::with_last_byte(0xb0);
    let id = U256::from(11);
    s.commit(id, alice, [1; 32]);
    assert!(s.send(alice, register(id, true, 5, [1; 32])).success);
    assert_eq!(s.terms(id), (true, 5));

    // Terms: only the owner; they apply to what is committed from now on.
    assert!(matches!(
        s.error(
            bob,
            IDatasetRegistry::updateTermsCall {
                id,
                trainingAllowed: false,
                feePerEpoch: 9
            }
            .abi_encode()
        ),
        E::NotDatasetOwner(_)
    ));
    let r = s.send(
        alice,
        IDatasetRegistry::updateTermsCall {
            id,
            trainingAllowed: false,
            feePerEpoch: 9,
        }
        .abi_encode(),
    );
    assert!(r.success);
    assert_eq!(s.terms(id), (false, 9));
    s.d.pass_challenge_window(&mut s.chain);
    let r = s.fees_now(vec![id]);
    assert!(matches!(
        E::abi_decode(&r.output, true).unwrap(),
        E::LicenseForbidsTraining(_)
    ));
    let r = s.fees_now(vec![U256::from(12)]);
    assert!(matches!(
        E::abi_decode(&r.output, true).unwrap(),
        E::NotRegistered(_)
    ));

    // Ownership.
    assert!(matches!(
        s.error(
            alice,
            IDatasetRegistry::transferOwnershipCall {
                id,
                newOwner: Address::ZERO
            }
            .abi_encode()
        ),
        E::ZeroOwner(_)
    ));
    let give = IDatasetRegistry::transferOwnershipCall { id, newOwner: bob }.abi_encode();
    assert!(matches!(s.error(bob, give.clone()), E::NotDatasetOwner(_)));
    assert!(s.send(alice, give).success);
    assert_eq!(s.owner(id), bob);

    // Commitments must be field elements, non-zero.
    let r_mod = U256::from_be_slice(&poa_circuits::field::modulus().to_bytes_be());
    for bad in [U256::ZERO, r_mod] {
        s.commit(bad, alice, [1; 32]);
        assert!(matches!(
            s.error(alice, register(bad, true, 0, [1; 32])),
            E::InvalidCommitment(_)
        ));
    }
}
