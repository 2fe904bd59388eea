//! DatasetRegistry on revm: registration, terms history, ownership, and
//! each refusal with its custom error.

use alloy_sol_types::{SolCall, SolInterface};
use poa_contracts::build::{compile, source};
use poa_contracts::evm::{Chain, Receipt};
use revm::primitives::{Address, U256};

use poa_contracts::abi::IDatasetRegistry;
use IDatasetRegistry::IDatasetRegistryErrors as E;

struct Setup {
    chain: Chain,
    registry: Address,
}

fn setup() -> Setup {
    let dir = std::env::temp_dir().join(format!("poa-registry-{}", std::process::id()));
    let built = compile(
        &dir,
        &[(
            "DatasetRegistry.sol",
            &source("DatasetRegistry.sol").unwrap(),
        )],
    )
    .unwrap();
    let mut chain = Chain::new();
    let registry = chain
        .deploy(
            Address::with_last_byte(1),
            "registry",
            built["DatasetRegistry"].bytecode.clone(),
        )
        .unwrap();
    Setup { chain, registry }
}

impl Setup {
    fn send(&mut self, from: Address, data: Vec<u8>) -> Receipt {
        self.chain
            .call(from, self.registry, U256::ZERO, data)
            .unwrap()
    }
    fn error(&mut self, from: Address, data: Vec<u8>) -> E {
        let r = self.send(from, data);
        assert!(!r.success, "expected a revert");
        E::abi_decode(&r.output, true).unwrap()
    }
    fn terms(&mut self, id: u64, block: u64) -> (bool, u128) {
        let r = self.send(
            Address::ZERO,
            IDatasetRegistry::termsAtCall {
                id: U256::from(id),
                blockNumber: U256::from(block),
            }
            .abi_encode(),
        );
        assert!(r.success);
        let t = IDatasetRegistry::termsAtCall::abi_decode_returns(&r.output, true).unwrap();
        (t.trainingAllowed, t.feePerEpoch)
    }
}

fn register(id: U256, allowed: bool, fee: u128) -> Vec<u8> {
    IDatasetRegistry::registerCall {
        id,
        trainingAllowed: allowed,
        feePerEpoch: fee,
    }
    .abi_encode()
}

#[test]
fn register_update_transfer_and_refusals() {
    let mut s = setup();
    let alice = Address::with_last_byte(0xa1);
    let bob = Address::with_last_byte(0xb0);
    let id = U256::from(11);

    let r = s.send(alice, register(id, true, 5));
    assert!(r.success);
    println!("gas: register {}", r.gas);
    let registered_block = s.chain.block_number() - 1;
    let owner = s.send(alice, IDatasetRegistry::ownerOfCall { id }.abi_encode());
    assert_eq!(
        IDatasetRegistry::ownerOfCall::abi_decode_returns(&owner.output, true)
            .unwrap()
            ._0,
        alice
    );

    // Refusals, each with its error.
    assert!(matches!(
        s.error(bob, register(id, true, 0)),
        E::AlreadyRegistered(_)
    ));
    assert!(matches!(
        s.error(bob, register(U256::ZERO, true, 0)),
        E::InvalidCommitment(_)
    ));
    let r_mod: U256 =
        "21888242871839275222246405745257275088548364400416034343698204186575808495617"
            .parse()
            .unwrap();
    assert!(matches!(
        s.error(bob, register(r_mod, true, 0)),
        E::InvalidCommitment(_)
    ));
    let update = |allowed, fee| {
        IDatasetRegistry::updateTermsCall {
            id,
            trainingAllowed: allowed,
            feePerEpoch: fee,
        }
        .abi_encode()
    };
    match s.error(bob, update(false, 9)) {
        E::NotDatasetOwner(e) => assert_eq!(e.caller, bob),
        _ => panic!("expected NotDatasetOwner"),
    }
    let unknown = IDatasetRegistry::updateTermsCall {
        id: U256::from(99),
        trainingAllowed: true,
        feePerEpoch: 0,
    }
    .abi_encode();
    assert!(matches!(s.error(alice, unknown), E::NotRegistered(_)));
    let nobody = IDatasetRegistry::transferOwnershipCall {
        id,
        newOwner: Address::ZERO,
    }
    .abi_encode();
    assert!(matches!(s.error(alice, nobody), E::ZeroOwner(_)));

    // New terms apply from the next block; earlier blocks keep the old ones.
    assert!(s.send(alice, update(false, 7)).success);
    let update_block = s.chain.block_number() - 1;
    assert_eq!(s.terms(11, registered_block), (true, 5));
    assert_eq!(
        s.terms(11, update_block),
        (true, 5),
        "not in force in its own block"
    );
    assert_eq!(s.terms(11, update_block + 1), (false, 7));
    let before = IDatasetRegistry::termsAtCall {
        id,
        blockNumber: U256::from(registered_block - 1),
    }
    .abi_encode();
    assert!(
        matches!(s.error(alice, before), E::NotRegistered(_)),
        "no terms before registration"
    );

    // Ownership moves; the old owner loses control.
    assert!(
        s.send(
            alice,
            IDatasetRegistry::transferOwnershipCall { id, newOwner: bob }.abi_encode()
        )
        .success
    );
    assert!(matches!(
        s.error(alice, update(true, 1)),
        E::NotDatasetOwner(_)
    ));
    assert!(s.send(bob, update(true, 1)).success);
}
