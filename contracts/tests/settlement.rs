//! AttributionSettlement on revm with real Groth16 proofs: the whole flow
//! (register, commit, deposit, settle, claim) exact to the wei for
//! ETH and ERC20s, and each refusal with its custom error.

use std::sync::OnceLock;

use alloy_sol_types::{sol, SolCall, SolError};
use num_bigint::BigUint;
use poa_circuits::field::fr_to_be_bytes;
use poa_circuits::statement::Epoch;
use poa_contracts::build::{compile, has_push0, source, Artifact};
use poa_contracts::claims;
use poa_contracts::evm::{Chain, Receipt};
use poa_prover::groth16::{prove, setup_insecure, SetupOutput};
use poa_verifier::solidity::{proof_bytes, Groth16Template, INTERFACE};
use revm::primitives::{Address, Bytes, FixedBytes, U256};

use poa_contracts::abi::{IAttributionSettlement as ISettlement, IDatasetRegistry as IRegistry};

sol! {
    interface IMockToken {
        function mint(address to, uint256 amount) external;
        function approve(address spender, uint256 amount) external returns (bool);
        function balanceOf(address who) external view returns (uint256);
    }
    interface IReentrant {
        function arm(bytes call) external;
        function reentered() external view returns (uint256);
    }
}

struct Built {
    artifacts: std::collections::HashMap<String, Artifact>,
    keys: SetupOutput,
}

/// Keys of the 4x5 shape of the `hand` vector and every contract, built once.
fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let epoch = poa_circuits::vectors::statement_epoch("hand").unwrap();
        let keys = setup_insecure(epoch.shape, Some([3; 32])).unwrap();
        let verifier = Groth16Template::new(&keys.vk.vk, "4x5".into(), "0x".into()).render();
        let dir = std::env::temp_dir().join(format!("poa-settlement-{}", std::process::id()));
        let registry = source("DatasetRegistry.sol").unwrap();
        let settlement = source("AttributionSettlement.sol").unwrap();
        let mocks = std::fs::read_to_string(
            poa_contracts::build::contracts_dir().join("tests/sol/Mocks.sol"),
        )
        .unwrap();
        let artifacts = compile(
            &dir,
            &[
                ("IPoaVerifier.sol", INTERFACE),
                ("DatasetRegistry.sol", &registry),
                ("AttributionSettlement.sol", &settlement),
                ("PoaGroth16Verifier.sol", &verifier),
                ("Mocks.sol", &mocks),
            ],
        )
        .unwrap();
        Built { artifacts, keys }
    })
}

fn word(x: U256) -> Vec<u8> {
    x.to_be_bytes::<32>().to_vec()
}

fn addr_word(a: Address) -> Vec<u8> {
    let mut w = vec![0u8; 12];
    w.extend_from_slice(a.as_slice());
    w
}

const DEV_BPS: u16 = 1000;
const REVENUE: u128 = 10_000_000_000_000_000_000; // 10 ETH
const FEES: [u128; 3] = [1_000, 0, 500];

#[derive(Clone, Copy, PartialEq)]
enum Pay {
    Eth,
    Token { returns_value: bool },
}

struct World {
    chain: Chain,
    registry: Address,
    settlement: Address,
    verifier: Address,
    token: Address,
    trainer: Address,
    payer: Address,
    owners: [Address; 3],
    ids: [U256; 3],
    model: U256,
    pay: Pay,
}

/// A settled epoch's public data and each slot's claim.
struct Settled {
    payouts: Vec<U256>,
    proof: Vec<u8>,
    /// Slots 0 … n-1: payout + fee; slot n: developer share + dust.
    amounts: Vec<U256>,
    paths: Vec<Vec<FixedBytes<32>>>,
    pool: u128,
}

impl World {
    fn new(pay: Pay) -> Self {
        let b = built();
        let mut chain = Chain::new();
        let deployer = Address::with_last_byte(0xd0);
        let registry = chain
            .deploy(
                deployer,
                "registry",
                b.artifacts["DatasetRegistry"].bytecode.clone(),
            )
            .unwrap();
        let verifier = chain
            .deploy(
                deployer,
                "verifier",
                b.artifacts["PoaGroth16Verifier"].bytecode.clone(),
            )
            .unwrap();
        let mut code = b.artifacts["AttributionSettlement"].bytecode.clone();
        code.extend(addr_word(registry));
        let settlement = chain.deploy(deployer, "settlement", code).unwrap();
        let token = match pay {
            Pay::Eth => Address::ZERO,
            Pay::Token { returns_value } => {
                let mut code = b.artifacts["MockToken"].bytecode.clone();
                code.extend(word(U256::from(u8::from(returns_value))));
                chain.deploy(deployer, "token", code).unwrap()
            }
        };
        let trainer = Address::with_last_byte(0x70);
        let payer = Address::with_last_byte(0x90);
        chain.fund(payer, U256::from(REVENUE) * U256::from(10));
        let owners = [
            Address::with_last_byte(0xa1),
            Address::with_last_byte(0xb2),
            Address::with_last_byte(0xc3),
        ];
        // Existing accounts, as real owners are (a first transfer to an empty
        // account costs 25,000 gas more).
        for who in owners.iter().chain([&trainer]) {
            chain.fund(*who, U256::from(1));
        }
        // The `hand` vector's dataset commitments: 11, 22, 33.
        let ids = [U256::from(11), U256::from(22), U256::from(33)];
        let mut w = World {
            chain,
            registry,
            settlement,
            verifier,
            token,
            trainer,
            payer,
            owners,
            ids,
            model: U256::ZERO,
            pay,
        };
        for i in 0..3 {
            let r = w.send_to(
                w.registry,
                owners[i],
                U256::ZERO,
                IRegistry::registerCall {
                    id: ids[i],
                    trainingAllowed: true,
                    feePerEpoch: FEES[i],
                }
                .abi_encode(),
            );
            assert!(r.success);
        }
        let r = w.send(
            trainer,
            ISettlement::registerModelCall {
                verifier,
                slots: 4,
                developerShareBps: DEV_BPS,
                token,
            }
            .abi_encode(),
        );
        assert!(r.success);
        w.model = U256::from_be_slice(&r.output);
        if let Pay::Token { .. } = pay {
            assert!(
                w.send_to(
                    token,
                    payer,
                    U256::ZERO,
                    IMockToken::mintCall {
                        to: payer,
                        amount: U256::from(REVENUE) * U256::from(10)
                    }
                    .abi_encode()
                )
                .success
            );
            assert!(
                w.send_to(
                    token,
                    payer,
                    U256::ZERO,
                    IMockToken::approveCall {
                        spender: settlement,
                        amount: U256::MAX
                    }
                    .abi_encode()
                )
                .success
            );
        }
        w
    }

    fn send_to(&mut self, to: Address, from: Address, value: U256, data: Vec<u8>) -> Receipt {
        self.chain.call(from, to, value, data).unwrap()
    }

    fn send(&mut self, from: Address, data: Vec<u8>) -> Receipt {
        self.send_to(self.settlement, from, U256::ZERO, data)
    }

    fn balance(&mut self, who: Address) -> U256 {
        match self.pay {
            Pay::Eth => self.chain.balance(who),
            Pay::Token { .. } => {
                let viewer = Address::with_last_byte(0x01);
                let r = self.send_to(
                    self.token,
                    viewer,
                    U256::ZERO,
                    IMockToken::balanceOfCall { who }.abi_encode(),
                );
                U256::from_be_slice(&r.output)
            }
        }
    }

    /// The `hand` epoch for this chain, contract, model and epoch number.
    fn epoch(&self, number: u64, pool: u128) -> Epoch {
        let mut e = poa_circuits::vectors::statement_epoch("hand").unwrap();
        e.pool = pool;
        e.ctx.chain_id = BigUint::from(self.chain.chain_id());
        e.ctx.verifier = BigUint::from_bytes_be(self.settlement.as_slice());
        e.ctx.model_id = BigUint::from_bytes_be(&self.model.to_be_bytes::<32>());
        e.ctx.epoch = BigUint::from(number);
        e
    }

    fn commit(&mut self, number: u64) -> Receipt {
        let att = self.epoch(number, 0).attribute().unwrap();
        let q = U256::from_be_bytes(fr_to_be_bytes(&att.root));
        let v = U256::from_be_bytes(fr_to_be_bytes(&att.validation_commitment));
        self.send(
            self.trainer,
            ISettlement::commitEpochCall {
                model: self.model,
                epoch: U256::from(number),
                q,
                v,
            }
            .abi_encode(),
        )
    }

    /// Commits epoch `number` and deposits `REVENUE` into it; both must succeed.
    fn open(&mut self, number: u64) {
        assert!(self.commit(number).success, "commit {number}");
        assert!(self.deposit(number, REVENUE).success, "deposit {number}");
    }

    fn deposit(&mut self, number: u64, amount: u128) -> Receipt {
        let data = ISettlement::depositCall {
            model: self.model,
            epoch: U256::from(number),
            amount: U256::from(amount),
        }
        .abi_encode();
        let value = if self.pay == Pay::Eth {
            U256::from(amount)
        } else {
            U256::ZERO
        };
        self.send_to(self.settlement, self.payer, value, data)
    }

    /// Proves epoch `number` as the contract will see it (pool after the
    /// developer share and fees).
    fn prove(&self, number: u64) -> Settled {
        let share = REVENUE * u128::from(DEV_BPS) / 10_000;
        let pool = REVENUE - share - FEES.iter().sum::<u128>();
        let epoch = self.epoch(number, pool);
        let att = epoch.attribute().unwrap();
        let (proof, _, _) = prove(&built().keys.pk, epoch).unwrap();
        let payouts: Vec<U256> = att.split.payouts.iter().map(|&a| U256::from(a)).collect();
        let mut amounts: Vec<U256> = payouts
            .iter()
            .zip(FEES)
            .map(|(a, f)| *a + U256::from(f))
            .collect();
        let slots: Vec<(U256, U256)> = self
            .ids
            .iter()
            .copied()
            .zip(amounts.iter().copied())
            .collect();
        let trainer = U256::from(share + att.split.dust);
        amounts.push(trainer);
        let leaves = claims::leaves(&slots, trainer);
        let paths = (0..4).map(|c| claims::path(&leaves, c)).collect();
        Settled {
            payouts,
            proof: proof_bytes(&proof),
            amounts,
            paths,
            pool,
        }
    }

    fn settle(&mut self, number: u64, ids: &[U256], payouts: &[U256], proof: &[u8]) -> Receipt {
        let data = ISettlement::settleCall {
            model: self.model,
            epoch: U256::from(number),
            datasetIds: ids.to_vec(),
            payouts: payouts.to_vec(),
            proof: Bytes::copy_from_slice(proof),
        }
        .abi_encode();
        self.send(self.trainer, data)
    }

    fn claim(&mut self, from: Address, number: u64, s: &Settled, slot: usize) -> Receipt {
        let data = self.claim_call(number, s, slot);
        self.send(from, data)
    }

    fn claim_call(&self, number: u64, s: &Settled, slot: usize) -> Vec<u8> {
        ISettlement::claimCall {
            model: self.model,
            epoch: U256::from(number),
            slot: U256::from(slot),
            datasetId: if slot < 3 { self.ids[slot] } else { U256::ZERO },
            amount: s.amounts[slot],
            path: s.paths[slot].clone(),
        }
        .abi_encode()
    }
}

#[track_caller]
fn reverts_with<E: SolError>(r: &Receipt) -> E {
    assert!(!r.success, "expected a revert with {}", E::SIGNATURE);
    E::abi_decode(&r.output, true).unwrap_or_else(|_| {
        panic!(
            "expected {}, got 0x{}",
            E::SIGNATURE,
            hex::encode(&r.output)
        )
    })
}

fn full_flow(pay: Pay) {
    let mut w = World::new(pay);
    assert!(w.commit(3).success);
    // Revenue in two deposits.
    assert!(w.deposit(3, REVENUE / 4).success);
    assert!(w.deposit(3, REVENUE - REVENUE / 4).success);
    let s = w.prove(3);
    let before: Vec<U256> = w.owners.to_vec().iter().map(|&o| w.balance(o)).collect();
    let r = w.settle(3, &w.ids.clone(), &s.payouts, &s.proof);
    assert!(r.success, "settle reverted: 0x{}", hex::encode(&r.output));
    println!("gas: settle n = 3: {}", r.gas);
    for (c, before) in before.iter().enumerate() {
        // Anyone may send a claim: the money goes to the dataset's owner.
        let r = w.claim(w.payer, 3, &s, c);
        assert!(r.success, "claim {c}");
        println!("gas: claim slot {c}: {}", r.gas);
        assert_eq!(
            w.balance(w.owners[c]) - *before,
            s.amounts[c],
            "slot {c} paid payout + fee"
        );
    }
    let trainer_before = w.balance(w.trainer);
    // Anyone may trigger a claim; the trainer's leaf pays the trainer.
    assert!(w.claim(w.payer, 3, &s, 3).success);
    let share = REVENUE * u128::from(DEV_BPS) / 10_000;
    let paid: U256 = s.payouts.iter().copied().sum();
    let dust = U256::from(s.pool) - paid;
    assert_eq!(
        w.balance(w.trainer) - trainer_before,
        U256::from(share) + dust,
        "developer share + dust"
    );
    // Every wei of revenue went somewhere: the contract is empty.
    assert_eq!(w.balance(w.settlement), U256::ZERO);
    assert_eq!(s.amounts[3], U256::from(share) + dust);
    let total: U256 = s.amounts.iter().copied().sum();
    assert_eq!(total, U256::from(REVENUE));
}

#[test]
fn full_flow_eth_exact_to_the_wei() {
    full_flow(Pay::Eth);
}

#[test]
fn full_flow_erc20_and_erc20_without_return_value() {
    full_flow(Pay::Token {
        returns_value: true,
    });
    full_flow(Pay::Token {
        returns_value: false,
    });
}

#[test]
fn refusals_each_with_its_error() {
    let mut w = World::new(Pay::Eth);
    let ids = w.ids.to_vec();
    // Settle before commit.
    let s = w.prove(3);
    reverts_with::<ISettlement::NotCommitted>(&w.settle(3, &ids, &s.payouts, &s.proof));
    // A public input ≥ r never reaches the verifier: commit refuses it.
    let r_mod = U256::from_be_slice(&poa_circuits::field::modulus().to_bytes_be());
    let bad = ISettlement::commitEpochCall {
        model: w.model,
        epoch: U256::from(9),
        q: r_mod,
        v: U256::from(1),
    }
    .abi_encode();
    reverts_with::<ISettlement::NotAFieldElement>(&w.send(w.trainer, bad));

    w.open(3);
    // A payout moved by one wei between two contributors.
    let mut tampered = s.payouts.clone();
    tampered[0] -= U256::from(1);
    tampered[2] += U256::from(1);
    reverts_with::<ISettlement::InvalidProof>(&w.settle(3, &ids, &tampered, &s.proof));
    // Datasets swapped.
    let swapped = vec![ids[1], ids[0], ids[2]];
    reverts_with::<ISettlement::InvalidProof>(&w.settle(3, &swapped, &s.payouts, &s.proof));
    // An unregistered dataset.
    let unknown = vec![ids[0], ids[1], U256::from(44)];
    reverts_with::<IRegistry::NotRegistered>(&w.settle(3, &unknown, &s.payouts, &s.proof));
    // The honest settlement, then a second one.
    assert!(w.settle(3, &ids, &s.payouts, &s.proof).success);
    reverts_with::<ISettlement::AlreadySettled>(&w.settle(3, &ids, &s.payouts, &s.proof));
    // Claims: double, wrong amount.
    assert!(w.claim(w.owners[0], 3, &s, 0).success);
    reverts_with::<ISettlement::AlreadyClaimed>(&w.claim(w.owners[0], 3, &s, 0));
    let mut greedy = Settled {
        amounts: s.amounts.clone(),
        paths: s.paths.clone(),
        payouts: vec![],
        proof: vec![],
        pool: 0,
    };
    greedy.amounts[2] += U256::from(1);
    reverts_with::<ISettlement::InvalidClaim>(&w.claim(w.owners[2], 3, &greedy, 2));

    // The same proof replayed for another epoch of the same model.
    w.open(4);
    reverts_with::<ISettlement::InvalidProof>(&w.settle(4, &ids, &s.payouts, &s.proof));
    // … for another model with the same verifier.
    let (verifier, token) = (w.verifier, w.token);
    let r = w.send(
        w.trainer,
        ISettlement::registerModelCall {
            verifier,
            slots: 4,
            developerShareBps: DEV_BPS,
            token,
        }
        .abi_encode(),
    );
    let first_model = w.model;
    w.model = U256::from_be_slice(&r.output);
    w.open(3);
    reverts_with::<ISettlement::InvalidProof>(&w.settle(3, &ids, &s.payouts, &s.proof));
    w.model = first_model;
    // … on another settlement contract of the same chain, with the same model
    // id and epoch: only the contract address differs.
    let mut code = built().artifacts["AttributionSettlement"].bytecode.clone();
    code.extend(addr_word(w.registry));
    let second = w
        .chain
        .deploy(Address::with_last_byte(0xd1), "settlement 2", code)
        .unwrap();
    let first = w.settlement;
    w.settlement = second;
    let r = w.send(
        w.trainer,
        ISettlement::registerModelCall {
            verifier,
            slots: 4,
            developerShareBps: DEV_BPS,
            token,
        }
        .abi_encode(),
    );
    assert_eq!(U256::from_be_slice(&r.output), first_model);
    w.open(3);
    reverts_with::<ISettlement::InvalidProof>(&w.settle(3, &ids, &s.payouts, &s.proof));
    w.settlement = first;

    // A license that forbids training at commit time.
    let forbid = IRegistry::updateTermsCall {
        id: ids[1],
        trainingAllowed: false,
        feePerEpoch: 0,
    }
    .abi_encode();
    assert!(
        w.send_to(w.registry, w.owners[1], U256::ZERO, forbid)
            .success
    );
    w.open(5);
    let s5 = w.prove(5);
    let e = reverts_with::<IRegistry::LicenseForbidsTraining>(&w.settle(
        5,
        &ids,
        &s5.payouts,
        &s5.proof,
    ));
    assert_eq!(e.id, ids[1]);
}

#[test]
fn reentrant_dataset_owner_is_paid_once() {
    let mut w = World::new(Pay::Eth);
    let attacker = w
        .chain
        .deploy(
            Address::with_last_byte(0xee),
            "reentrant",
            built().artifacts["Reentrant"].bytecode.clone(),
        )
        .unwrap();
    // Carol hands dataset 33 to a contract that re-enters claim when paid.
    let give = IRegistry::transferOwnershipCall {
        id: w.ids[2],
        newOwner: attacker,
    }
    .abi_encode();
    assert!(w.send_to(w.registry, w.owners[2], U256::ZERO, give).success);
    w.open(3);
    let s = w.prove(3);
    assert!(w.settle(3, &w.ids.clone(), &s.payouts, &s.proof).success);
    let call = w.claim_call(3, &s, 2);
    let eve = Address::with_last_byte(0xee);
    assert!(
        w.send_to(
            attacker,
            eve,
            U256::ZERO,
            IReentrant::armCall {
                call: Bytes::from(call.clone())
            }
            .abi_encode()
        )
        .success
    );
    let r = w.send(w.owners[0], call);
    assert!(r.success);
    assert_eq!(w.chain.balance(attacker), s.amounts[2], "paid exactly once");
    let flag = w.send_to(
        attacker,
        eve,
        U256::ZERO,
        IReentrant::reenteredCall {}.abi_encode(),
    );
    assert_eq!(
        U256::from_be_slice(&flag.output),
        U256::from(3),
        "the re-entered claim failed"
    );
}

#[test]
fn contracts_fit_and_target_paris() {
    for name in [
        "AttributionSettlement",
        "DatasetRegistry",
        "PoaGroth16Verifier",
    ] {
        let a = &built().artifacts[name];
        assert!(
            a.deployed.len() <= 24_576,
            "{name}: {} bytes",
            a.deployed.len()
        );
        assert!(!has_push0(&a.deployed), "{name}: PUSH0");
    }
}
