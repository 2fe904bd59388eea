//! AttributionSettlement v2 on revm with real Groth16 proofs: the whole
//! lifecycle (register, commit, deposit, close, settle, claim) exact to the
//! wei for ETH, ERC20s and a fee-on-transfer token; each finding of the
//! settlement review (issue 14) as a regression test; each refusal with its
//! custom error.

use std::sync::OnceLock;

use alloy_sol_types::{sol, SolCall, SolError, SolEvent};
use num_bigint::BigUint;
use poa_circuits::field::fr_to_be_bytes;
use poa_circuits::statement::Epoch;
use poa_contracts::build::{compile_settlement, has_push0, Artifact};
use poa_contracts::evm::{Chain, Receipt};
use poa_contracts::settlement::{committed_fees, Deployment, ModelTerms, Pool, Settlement};
use poa_prover::groth16::{prove, setup_insecure, SetupOutput};
use poa_verifier::solidity::{proof_bytes, Groth16Template, INTERFACE};
use revm::primitives::{Address, Bytes, U256};

use poa_contracts::abi::{IAttributionSettlement as S, IDatasetRegistry as IRegistry};

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
        let read = |f: &str| {
            std::fs::read_to_string(poa_contracts::build::contracts_dir().join(f)).unwrap()
        };
        let (mocks, tokens) = (read("tests/sol/Mocks.sol"), read("test/mocks/Tokens.sol"));
        let artifacts = compile_settlement(
            &dir,
            &[
                ("IPoaVerifier.sol", INTERFACE),
                ("PoaGroth16Verifier.sol", &verifier),
                ("Mocks.sol", &mocks),
                ("Tokens.sol", &tokens),
            ],
        )
        .unwrap();
        Built { artifacts, keys }
    })
}

fn word(x: U256) -> Vec<u8> {
    x.to_be_bytes::<32>().to_vec()
}

const DEV_BPS: u16 = 1000;
const COMPUTE_BPS: u16 = 500;
const REVENUE: u128 = 10_000_000_000_000_000_000; // 10 ETH
const FEES: [u128; 3] = [1_000, 0, 500];
const DURATION: u32 = 7 * 24 * 3600;
const WINDOW: u32 = 3 * 24 * 3600;
const CHALLENGE: u64 = 4;
/// `AttributionSettlement.MIN_OPEN`: 1 hour.
const MIN_OPEN: u64 = 3600;

#[derive(Clone, Copy, PartialEq)]
enum Pay {
    Eth,
    Token {
        returns_value: bool,
    },
    /// A token that burns 1 % of every transfer.
    FeeOnTransfer,
}

struct World {
    chain: Chain,
    d: Deployment,
    verifier: Address,
    token: Address,
    trainer: Address,
    compute: Address,
    payers: [Address; 2],
    owners: [Address; 3],
    ids: [U256; 3],
    model: U256,
    pay: Pay,
}

#[track_caller]
fn ok(r: Receipt) -> Receipt {
    assert!(
        r.success,
        "reverted: {}",
        poa_contracts::settlement::revert_reason(&r.output)
    );
    r
}

#[track_caller]
fn reverts_with<E: SolError>(r: &Receipt) -> E {
    assert!(!r.success, "expected a revert with {}", E::SIGNATURE);
    E::abi_decode(&r.output, true).unwrap_or_else(|_| {
        panic!(
            "expected {}, got {}",
            E::SIGNATURE,
            poa_contracts::settlement::revert_reason(&r.output)
        )
    })
}

impl World {
    fn new(pay: Pay) -> Self {
        let b = built();
        let mut chain = Chain::new();
        let deployer = Address::with_last_byte(0xd0);
        let d = Deployment::deploy(&mut chain, &b.artifacts, deployer, CHALLENGE).unwrap();
        let verifier = chain
            .deploy(
                deployer,
                "verifier",
                b.artifacts["PoaGroth16Verifier"].bytecode.clone(),
            )
            .unwrap();
        let token = match pay {
            Pay::Eth => Address::ZERO,
            Pay::Token { returns_value } => {
                let mut code = b.artifacts["MockToken"].bytecode.clone();
                code.extend(word(U256::from(u8::from(returns_value))));
                chain.deploy(deployer, "token", code).unwrap()
            }
            Pay::FeeOnTransfer => {
                let mut code = b.artifacts["FeeToken"].bytecode.clone();
                code.extend(word(U256::from(100)));
                chain.deploy(deployer, "fee token", code).unwrap()
            }
        };
        let trainer = Address::with_last_byte(0x70);
        let compute = Address::with_last_byte(0x7c);
        let payers = [Address::with_last_byte(0x90), Address::with_last_byte(0x91)];
        let owners = [
            Address::with_last_byte(0xa1),
            Address::with_last_byte(0xb2),
            Address::with_last_byte(0xc3),
        ];
        // Existing accounts, as real ones are (a first transfer to an empty
        // account costs 25,000 gas more).
        for who in owners.iter().chain([&trainer, &compute]) {
            chain.fund(*who, U256::from(1));
        }
        for p in payers {
            chain.fund(p, U256::from(REVENUE) * U256::from(10));
        }
        // The `hand` vector's dataset commitments: 11, 22, 33.
        let ids = [U256::from(11), U256::from(22), U256::from(33)];
        for i in 0..3 {
            ok(
                d.register_dataset(&mut chain, owners[i], ids[i], true, FEES[i], [i as u8; 32])
                    .unwrap(),
            );
        }
        d.pass_challenge_window(&mut chain);
        let mut w = World {
            chain,
            d,
            verifier,
            token,
            trainer,
            compute,
            payers,
            owners,
            ids,
            model: U256::ZERO,
            pay,
        };
        w.model = w.register_model(verifier);
        if pay != Pay::Eth {
            for p in payers {
                let mint = IMockToken::mintCall {
                    to: p,
                    amount: U256::from(REVENUE) * U256::from(10),
                };
                ok(w.chain
                    .call(p, token, U256::ZERO, mint.abi_encode())
                    .unwrap());
                let approve = IMockToken::approveCall {
                    spender: w.d.settlement,
                    amount: U256::MAX,
                };
                ok(w.chain
                    .call(p, token, U256::ZERO, approve.abi_encode())
                    .unwrap());
            }
        }
        w
    }

    fn terms(&self, verifier: Address) -> ModelTerms {
        ModelTerms {
            verifier,
            slots: 4,
            developer_bps: DEV_BPS,
            compute_provider: self.compute,
            compute_bps: COMPUTE_BPS,
            token: self.token,
            epoch_duration: DURATION,
            settle_window: WINDOW,
        }
    }

    fn register_model(&mut self, verifier: Address) -> U256 {
        let t = self.terms(verifier);
        self.d
            .register_model(&mut self.chain, self.trainer, &t)
            .unwrap()
    }

    fn send(&mut self, from: Address, data: Vec<u8>) -> Receipt {
        self.chain
            .call(from, self.d.settlement, U256::ZERO, data)
            .unwrap()
    }

    fn balance(&mut self, who: Address) -> U256 {
        match self.pay {
            Pay::Eth => self.chain.balance(who),
            _ => {
                let r = self
                    .chain
                    .call(
                        Address::with_last_byte(0x01),
                        self.token,
                        U256::ZERO,
                        IMockToken::balanceOfCall { who }.abi_encode(),
                    )
                    .unwrap();
                U256::from_be_slice(&r.output)
            }
        }
    }

    /// A statement vector's epoch for this chain, contract, model and epoch.
    fn epoch(&self, vector: &str, number: u64, pool: U256) -> Epoch {
        let mut e = poa_circuits::vectors::statement_epoch(vector).unwrap();
        e.pool = pool.to::<u128>();
        e.ctx.chain_id = BigUint::from(self.chain.chain_id());
        e.ctx.verifier = BigUint::from_bytes_be(self.d.settlement.as_slice());
        e.ctx.model_id = BigUint::from_bytes_be(&self.model.to_be_bytes::<32>());
        e.ctx.epoch = BigUint::from(number);
        e
    }

    /// Commits epoch `number` of `vector` with the world's datasets; the
    /// receipt and the settlement's public part (no payouts yet).
    fn commit(&mut self, vector: &str, number: u64) -> (Receipt, Settlement) {
        let att = self.epoch(vector, number, U256::ZERO).attribute().unwrap();
        let q = U256::from_be_bytes(fr_to_be_bytes(&att.root));
        let v = U256::from_be_bytes(fr_to_be_bytes(&att.validation_commitment));
        let ids = self.ids.to_vec();
        let r = self
            .d
            .commit_epoch(
                &mut self.chain,
                self.trainer,
                self.model,
                U256::from(number),
                q,
                v,
                &ids,
                &FEES.map(U256::from),
            )
            .unwrap();
        let fees = committed_fees(&r).unwrap_or_default();
        let s = Settlement {
            model: self.model,
            epoch: U256::from(number),
            q,
            v,
            ids,
            fees,
            ..Settlement::default()
        };
        (r, s)
    }

    fn deposit(&mut self, from: Address, amount: u128) -> Receipt {
        let value = if self.pay == Pay::Eth {
            U256::from(amount)
        } else {
            U256::ZERO
        };
        self.d
            .deposit(&mut self.chain, from, self.model, U256::from(amount), value)
            .unwrap()
    }

    /// `close` an hour later (the trainer may close `MIN_OPEN` after the commit).
    fn close(&mut self, from: Address) -> Receipt {
        self.chain.warp(MIN_OPEN);
        self.d.close(&mut self.chain, from, self.model).unwrap()
    }

    fn pool(&mut self, epoch: u64) -> Pool {
        self.d
            .pool(&mut self.chain, self.model, U256::from(epoch))
            .unwrap()
    }

    /// Proves `s`'s epoch of `vector` for the pool the contract froze.
    fn prove(&mut self, vector: &str, s: &mut Settlement) -> Pool {
        let pool = self.pool(s.epoch.to::<u64>());
        assert!(pool.ok);
        let epoch = self.epoch(vector, s.epoch.to::<u64>(), pool.pool);
        let att = epoch.attribute().unwrap();
        let (proof, _, _) = prove(&built().keys.pk, epoch).unwrap();
        s.payouts = att.split.payouts.iter().map(|&a| U256::from(a)).collect();
        s.proof = proof_bytes(&proof);
        pool
    }

    fn settle(&mut self, s: &Settlement) -> Receipt {
        let trainer = self.trainer;
        self.d.settle(&mut self.chain, trainer, s).unwrap()
    }

    fn claim(
        &mut self,
        from: Address,
        s: &Settlement,
        pool: &Pool,
        leaf: usize,
        to: Address,
    ) -> Receipt {
        let leaves = s.leaves(pool);
        let amount = self.amounts(s, pool)[leaf];
        self.d
            .claim(&mut self.chain, from, s, &leaves, leaf, amount, to)
            .unwrap()
    }

    /// Each leaf's amount: payout + fee per slot, developer share + dust,
    /// compute share.
    fn amounts(&self, s: &Settlement, pool: &Pool) -> Vec<U256> {
        let paid: U256 = s.payouts.iter().copied().sum();
        let mut out: Vec<U256> = (0..s.ids.len()).map(|c| s.payouts[c] + s.fees[c]).collect();
        out.push(pool.developer + pool.pool - paid);
        out.push(pool.compute);
        out
    }

    fn refund(&mut self, from: Address, epoch: u64) -> Receipt {
        self.d
            .refund(
                &mut self.chain,
                from,
                self.model,
                U256::from(epoch),
                Address::ZERO,
            )
            .unwrap()
    }

    fn phase(&mut self, epoch: u64) -> u8 {
        let r = self.send(
            Address::ZERO,
            S::epochsCall {
                model: self.model,
                epoch: U256::from(epoch),
            }
            .abi_encode(),
        );
        S::epochsCall::abi_decode_returns(&r.output, true)
            .unwrap()
            .phase
    }
}

const PENDING: u8 = 0;
const CLOSED: u8 = 2;
const SETTLED: u8 = 3;
const VOID: u8 = 4;

/// Commit, two deposits, close, settle, and every leaf claimed: each party
/// is paid exactly its leaf and the contract ends empty.
fn full_flow(pay: Pay) {
    let mut w = World::new(pay);
    let (r, mut s) = w.commit("hand", 1);
    ok(r);
    assert_eq!(
        s.fees,
        FEES.map(U256::from).to_vec(),
        "fees recorded at commit"
    );
    let [p0, p1] = w.payers;
    ok(w.deposit(p0, REVENUE / 4));
    ok(w.deposit(p1, REVENUE - REVENUE / 4));
    ok(w.close(w.trainer));
    let pool = w.prove("hand", &mut s);
    let received = if pay == Pay::FeeOnTransfer {
        REVENUE / 4 - REVENUE / 400 + (REVENUE - REVENUE / 4) - (REVENUE - REVENUE / 4) / 100
    } else {
        REVENUE
    };
    assert_eq!(
        w.balance(w.d.settlement),
        U256::from(received),
        "credited what arrived"
    );
    let r = ok(w.settle(&s));
    println!("gas: settle n = 3: {}", r.gas);
    let amounts = w.amounts(&s, &pool);
    assert_eq!(amounts.iter().copied().sum::<U256>(), U256::from(received));
    assert!(amounts[3] - pool.developer < U256::from(3), "dust < n");

    // Slot 1's owner directs its payout elsewhere; the others are paid where
    // the tree says, whoever sends the claim.
    let elsewhere = Address::with_last_byte(0x55);
    let mut recipients: Vec<Address> = w.owners.to_vec();
    recipients[1] = elsewhere;
    recipients.extend([w.trainer, w.compute]);
    for (leaf, to) in recipients.iter().enumerate() {
        let before = w.balance(*to);
        let (from, dest) = if leaf == 1 {
            (w.owners[1], elsewhere)
        } else {
            (w.payers[0], Address::ZERO)
        };
        let r = ok(w.claim(from, &s, &pool, leaf, dest));
        println!("gas: claim leaf {leaf}: {}", r.gas);
        let expected = if pay == Pay::FeeOnTransfer {
            amounts[leaf] - amounts[leaf] / U256::from(100)
        } else {
            amounts[leaf]
        };
        assert_eq!(w.balance(*to) - before, expected, "leaf {leaf}");
    }
    assert_eq!(w.balance(w.d.settlement), U256::ZERO, "every wei paid out");
    assert_eq!(w.phase(1), SETTLED);
}

#[test]
fn full_flow_eth_exact_to_the_wei() {
    full_flow(Pay::Eth);
}

#[test]
fn full_flow_erc20_with_and_without_return_value() {
    full_flow(Pay::Token {
        returns_value: true,
    });
    full_flow(Pay::Token {
        returns_value: false,
    });
}

#[test]
fn full_flow_fee_on_transfer_token_credits_what_arrived() {
    full_flow(Pay::FeeOnTransfer);
}

/// H-1: a deposit after close goes to the next epoch; the proven pool does
/// not move and settle succeeds. The late deposit can be withdrawn until its
/// epoch closes, or becomes the next epoch's revenue. (The second review's
/// M-A: a pending deposit's datasets and fees are chosen after it, so the
/// trainer cannot close before `MIN_OPEN`, and the depositor, having seen
/// the commit, may leave.)
#[test]
fn a_deposit_after_close_cannot_move_the_proven_pool() {
    let mut w = World::new(Pay::Eth);
    let (r, mut s) = w.commit("hand", 1);
    ok(r);
    let [p0, p1] = w.payers;
    ok(w.deposit(p0, REVENUE));
    ok(w.close(w.trainer));
    let pool = w.prove("hand", &mut s);
    // The front-runner's deposits, before and between.
    let r = ok(w.deposit(p1, 1));
    assert_eq!(
        U256::from_be_slice(&r.output),
        U256::from(2),
        "credited to epoch 2"
    );
    assert_eq!(w.pool(1), pool, "epoch 1's pool is frozen");
    ok(w.settle(&s));
    ok(w.deposit(p1, 5));
    // Withdrawn while pending …
    let withdraw = S::withdrawCall {
        model: w.model,
        to: Address::ZERO,
    };
    let before = w.chain.balance(p1);
    ok(w.send(p1, withdraw.abi_encode()));
    assert_eq!(w.chain.balance(p1) - before, U256::from(6));
    reverts_with::<S::NothingToRefund>(&w.send(p1, withdraw.abi_encode()));
    // … or after the next epoch's commit, until its close.
    ok(w.deposit(p1, 7));
    ok(w.commit("hand", 2).0);
    let early = w.d.close(&mut w.chain, w.trainer, w.model).unwrap();
    let e = reverts_with::<S::TooEarlyToClose>(&early);
    assert!(e.closableAt > U256::from(w.chain.timestamp()));
    ok(w.send(p1, withdraw.abi_encode()));
    reverts_with::<S::NothingToRefund>(&w.send(p1, withdraw.abi_encode()));
    ok(w.deposit(p1, 7));
    ok(w.close(w.trainer));
    reverts_with::<S::NothingToRefund>(&w.send(p1, withdraw.abi_encode()));
    let r = w.send(
        Address::ZERO,
        S::epochsCall {
            model: w.model,
            epoch: U256::from(2),
        }
        .abi_encode(),
    );
    let e = S::epochsCall::abi_decode_returns(&r.output, true).unwrap();
    assert_eq!(e.revenue, U256::from(7));
}

/// M-1: with no positive score every payout is 0 and the pool must not go
/// to the trainer: the epoch is void and each depositor gets back exactly
/// what they paid. Its twin: the same flow with positive scores settles.
#[test]
fn no_positive_score_voids_the_epoch_and_refunds_every_depositor() {
    let mut w = World::new(Pay::Eth);
    let (r, mut s) = w.commit("no-positive-score", 1);
    ok(r);
    let [p0, p1] = w.payers;
    ok(w.deposit(p0, REVENUE / 3));
    ok(w.deposit(p1, REVENUE - REVENUE / 3));
    ok(w.close(w.trainer));
    let pool = w.prove("no-positive-score", &mut s);
    assert!(s.payouts.iter().all(|a| a.is_zero()) && !pool.pool.is_zero());
    let trainer_before = w.chain.balance(w.trainer);
    let r = ok(w.settle(&s));
    assert_eq!(w.phase(1), VOID);
    assert!(r
        .logs
        .iter()
        .any(|l| l.topics()[0] == S::EpochVoided::SIGNATURE_HASH));
    reverts_with::<S::BadPhase>(&w.claim(w.trainer, &s, &pool, 3, Address::ZERO));
    for (p, paid) in [(p0, REVENUE / 3), (p1, REVENUE - REVENUE / 3)] {
        let before = w.chain.balance(p);
        ok(w.refund(p, 1));
        assert_eq!(w.chain.balance(p) - before, U256::from(paid));
        reverts_with::<S::NothingToRefund>(&w.refund(p, 1));
    }
    assert_eq!(w.chain.balance(w.trainer), trainer_before);
    assert_eq!(w.chain.balance(w.d.settlement), U256::ZERO);

    // The twin: positive scores settle, and refunds are refused.
    let (r, mut s) = w.commit("hand", 2);
    ok(r);
    ok(w.deposit(p0, REVENUE));
    ok(w.close(w.trainer));
    w.prove("hand", &mut s);
    ok(w.settle(&s));
    reverts_with::<S::BadPhase>(&w.refund(p0, 2));
}

/// M-2: an epoch that is never settled expires and refunds; a stranger can
/// close an epoch only after its duration; a pool out of range is void at
/// close.
#[test]
fn nothing_is_locked_when_the_trainer_walks_away() {
    let mut w = World::new(Pay::Eth);
    let [p0, p1] = w.payers;
    // Deposits before any commit wait for epoch 1.
    ok(w.deposit(p0, REVENUE));
    let (r, mut s) = w.commit("hand", 1);
    ok(r);
    ok(w.deposit(p1, 3));
    let stranger = Address::with_last_byte(0x5e);
    reverts_with::<S::TooEarlyToClose>(&w.close(stranger));
    w.chain.warp(u64::from(DURATION) - MIN_OPEN);
    ok(w.close(stranger));
    w.prove("hand", &mut s);
    reverts_with::<S::NotExpired>(&w.refund(p0, 1));
    w.chain.warp(u64::from(WINDOW) + 1);
    reverts_with::<S::SettleWindowPassed>(&w.settle(&s));
    assert_eq!(w.phase(1), CLOSED);
    for (p, paid) in [(p0, REVENUE), (p1, 3)] {
        let before = w.chain.balance(p);
        ok(w.refund(p, 1));
        assert_eq!(w.chain.balance(p) - before, U256::from(paid));
    }
    assert_eq!(w.phase(1), VOID);
    assert_eq!(w.chain.balance(w.d.settlement), U256::ZERO);

    // Revenue below the fees: void at close, refundable at once.
    ok(w.commit("hand", 2).0);
    ok(w.deposit(p0, 1_499));
    ok(w.close(w.trainer));
    assert_eq!(w.phase(2), VOID);
    ok(w.refund(p0, 2));
    // The next epoch's number is 3; an empty pending epoch has nothing to refund.
    assert_eq!(w.phase(3), PENDING);
    reverts_with::<S::BadPhase>(&w.refund(p0, 3));
}

/// M-3: terms are read once, at commit; changing them afterwards changes
/// nothing for the epoch, and the trainer bounds the total fee.
#[test]
fn terms_are_fixed_at_commit() {
    let mut w = World::new(Pay::Eth);
    // Above the trainer's maximum for one slot: refused.
    let ids = w.ids.to_vec();
    let max = [U256::from(1_000), U256::ZERO, U256::from(499)];
    let r =
        w.d.commit_epoch(
            &mut w.chain,
            w.trainer,
            w.model,
            U256::from(1),
            U256::from(1),
            U256::from(2),
            &ids,
            &max,
        )
        .unwrap();
    let e = reverts_with::<S::FeeAboveMaximum>(&r);
    assert_eq!((e.datasetId, e.fee), (ids[2], U256::from(500)));
    let (r, mut s) = w.commit("hand", 1);
    ok(r);
    // After the commit, owner 0 raises the fee and owner 1 forbids training.
    let registry = w.d.registry;
    for (who, id, allowed, fee) in [(0, 0, true, u128::MAX), (1, 1, false, 0)] {
        let call = IRegistry::updateTermsCall {
            id: w.ids[id],
            trainingAllowed: allowed,
            feePerEpoch: fee,
        };
        ok(w.chain
            .call(w.owners[who], registry, U256::ZERO, call.abi_encode())
            .unwrap());
    }
    ok(w.deposit(w.payers[0], REVENUE));
    ok(w.close(w.trainer));
    let pool = w.prove("hand", &mut s);
    // Fees recorded at commit cannot be swapped at settle.
    let mut cheaper = s.clone();
    cheaper.fees[0] = U256::ZERO;
    reverts_with::<S::CommitmentMismatch>(&w.settle(&cheaper));
    ok(w.settle(&s));
    let before = w.chain.balance(w.owners[0]);
    ok(w.claim(w.owners[0], &s, &pool, 0, Address::ZERO));
    assert_eq!(
        w.chain.balance(w.owners[0]) - before,
        s.payouts[0] + U256::from(FEES[0]),
        "the fee of the commit"
    );
    // The next commit sees the new terms.
    let e = reverts_with::<IRegistry::LicenseForbidsTraining>(&w.commit("hand", 2).0);
    assert_eq!(e.id, w.ids[1]);
}

/// The verifier is pinned by code hash at registration.
#[test]
fn a_verifier_whose_code_changed_is_refused() {
    let mut w = World::new(Pay::Eth);
    let (r, mut s) = w.commit("hand", 1);
    ok(r);
    ok(w.deposit(w.payers[0], REVENUE));
    ok(w.close(w.trainer));
    w.prove("hand", &mut s);
    // The same address now answers `true` to everything.
    let honest = w.chain.code(w.verifier);
    let yes = vec![0x60, 0x01, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3];
    w.chain.set_code(w.verifier, yes).unwrap();
    let mut forged = s.clone();
    forged.payouts.swap(0, 1);
    reverts_with::<S::VerifierChanged>(&w.settle(&forged));
    reverts_with::<S::VerifierChanged>(&w.settle(&s));
    // The pinned code back: the honest settlement passes, the forged one not.
    w.chain.set_code(w.verifier, honest).unwrap();
    reverts_with::<S::InvalidProof>(&w.settle(&forged));
    ok(w.settle(&s));
}

#[test]
fn refusals_each_with_its_error() {
    let mut w = World::new(Pay::Eth);
    let ids = w.ids.to_vec();
    let trainer = w.trainer;
    let commit = |w: &mut World, epoch: u64, q: U256, ids: &[U256]| {
        let (model, t) = (w.model, w.trainer);
        let max = vec![U256::MAX; ids.len()];
        w.d.commit_epoch(
            &mut w.chain,
            t,
            model,
            U256::from(epoch),
            q,
            U256::from(2),
            ids,
            &max,
        )
        .unwrap()
    };
    // Model registration.
    let mut bad = w.terms(w.verifier).call();
    bad.slots = (1 << 16) + 1;
    reverts_with::<S::InvalidModel>(&w.send(trainer, bad.abi_encode()));
    let mut max = bad.clone();
    max.slots = 1 << 16;
    ok(w.send(trainer, max.abi_encode()));
    let mut no_code = max.clone();
    no_code.verifier = Address::with_last_byte(0x42);
    reverts_with::<S::InvalidModel>(&w.send(trainer, no_code.abi_encode()));
    // An EIP-7702 delegation (0xef0100 ‖ address): its owner can change
    // what it does without changing its code.
    let delegated = Address::with_last_byte(0x43);
    let mut code = vec![0xef, 0x01, 0x00];
    code.extend_from_slice(w.verifier.as_slice());
    w.chain.set_code(delegated, code).unwrap();
    let mut eoa = max.clone();
    eoa.verifier = delegated;
    reverts_with::<S::InvalidModel>(&w.send(trainer, eoa.abi_encode()));
    let mut shares = max.clone();
    shares.developerShareBps = 9_600;
    reverts_with::<S::InvalidModel>(&w.send(trainer, shares.abi_encode()));

    // Commit.
    let r = w.send(
        w.owners[0],
        S::commitEpochCall {
            model: w.model,
            epoch: U256::from(1),
            q: U256::from(1),
            v: U256::from(2),
            datasetIds: ids.clone(),
            maxFees: vec![U256::MAX; 3],
        }
        .abi_encode(),
    );
    reverts_with::<S::NotTrainer>(&r);
    reverts_with::<S::WrongEpoch>(&commit(&mut w, 2, U256::from(1), &ids));
    let r_mod = U256::from_be_slice(&poa_circuits::field::modulus().to_bytes_be());
    reverts_with::<S::NotAFieldElement>(&commit(&mut w, 1, r_mod, &ids));
    let dup = vec![ids[0], ids[1], ids[0]];
    let e = reverts_with::<S::DuplicateDataset>(&commit(&mut w, 1, U256::from(1), &dup));
    assert_eq!(e.id, ids[0]);
    reverts_with::<S::BadParticipants>(&commit(&mut w, 1, U256::from(1), &[]));
    let five = vec![ids[0], ids[1], ids[2], U256::from(44), U256::from(55)];
    reverts_with::<S::BadParticipants>(&commit(&mut w, 1, U256::from(1), &five));
    let unknown = vec![ids[0], ids[1], U256::from(44)];
    reverts_with::<IRegistry::NotRegistered>(&commit(&mut w, 1, U256::from(1), &unknown));
    // A dataset still in its challenge window.
    let fresh = Address::with_last_byte(0xf1);
    ok(w.d
        .register_dataset(&mut w.chain, fresh, U256::from(44), true, 0, [9; 32])
        .unwrap());
    reverts_with::<IRegistry::NotUsableYet>(&commit(&mut w, 1, U256::from(1), &unknown));

    // Settle before close, then with tampered data.
    let (r, mut s) = w.commit("hand", 1);
    ok(r);
    reverts_with::<S::EpochStillOpen>(&w.commit("hand", 2).0);
    ok(w.deposit(w.payers[0], REVENUE));
    reverts_with::<S::BadPhase>(&w.settle(&s));
    ok(w.close(w.trainer));
    let pool = w.prove("hand", &mut s);
    // A payout moved by one wei between two contributors.
    let mut tampered = s.clone();
    tampered.payouts[0] -= U256::from(1);
    tampered.payouts[2] += U256::from(1);
    reverts_with::<S::InvalidProof>(&w.settle(&tampered));
    // Datasets swapped, Q changed, a fee changed: not what was committed.
    let mut swapped = s.clone();
    swapped.ids.swap(0, 1);
    reverts_with::<S::CommitmentMismatch>(&w.settle(&swapped));
    let mut other_q = s.clone();
    other_q.q += U256::from(1);
    reverts_with::<S::CommitmentMismatch>(&w.settle(&other_q));
    let mut fee = s.clone();
    fee.fees[1] = U256::from(1);
    reverts_with::<S::CommitmentMismatch>(&w.settle(&fee));
    let mut short = s.clone();
    short.payouts.pop();
    reverts_with::<S::CommitmentMismatch>(&w.settle(&short));
    // More paid than the pool: refused before the verifier.
    let mut greedy = s.clone();
    greedy.payouts[0] = pool.pool;
    reverts_with::<S::PayoutsExceedPool>(&w.settle(&greedy));
    let mut huge = s.clone();
    huge.payouts[0] = U256::from(1) << 96;
    reverts_with::<S::PayoutTooLarge>(&w.settle(&huge));
    // The honest settlement, then a second one.
    ok(w.settle(&s));
    reverts_with::<S::BadPhase>(&w.settle(&s));

    // Claims: double, wrong amount, a leaf beyond the tree, a stranger
    // redirecting someone else's payout.
    ok(w.claim(w.owners[0], &s, &pool, 0, Address::ZERO));
    reverts_with::<S::AlreadyClaimed>(&w.claim(w.owners[0], &s, &pool, 0, Address::ZERO));
    let leaves = s.leaves(&pool);
    let amount = w.amounts(&s, &pool)[2] + U256::from(1);
    let r =
        w.d.claim(
            &mut w.chain,
            w.owners[2],
            &s,
            &leaves,
            2,
            amount,
            Address::ZERO,
        )
        .unwrap();
    reverts_with::<S::InvalidClaim>(&r);
    let stranger = Address::with_last_byte(0x5e);
    let r = w.claim(stranger, &s, &pool, 2, stranger);
    let e = reverts_with::<S::NotBeneficiary>(&r);
    assert_eq!(e.beneficiary, w.owners[2]);
    reverts_with::<S::NotBeneficiary>(&w.claim(stranger, &s, &pool, 3, stranger));
    let r =
        w.d.claim(
            &mut w.chain,
            stranger,
            &s,
            &leaves,
            5,
            U256::ZERO,
            Address::ZERO,
        )
        .unwrap();
    reverts_with::<S::InvalidClaim>(&r);
    // The trainer's leaf (index n) presented as the compute leaf (n + 1).
    let trainer_amount = w.amounts(&s, &pool)[3];
    let mut path_call = s.claim_call(&leaves, 3, trainer_amount, Address::ZERO);
    path_call.leaf = U256::from(4);
    reverts_with::<S::InvalidClaim>(&w.send(stranger, path_call.abi_encode()));
    path_call.leaf = U256::from(3);
    ok(w.send(stranger, path_call.abi_encode()));

    // The same proof replayed for the next epoch of the same model …
    let (r, mut s2) = w.commit("hand", 2);
    ok(r);
    ok(w.deposit(w.payers[0], REVENUE));
    ok(w.close(trainer));
    let pool2 = w.prove("hand", &mut s2);
    assert_eq!(pool2, pool);
    let mut replay = s2.clone();
    replay.proof = s.proof.clone();
    reverts_with::<S::InvalidProof>(&w.settle(&replay));
    // … for another model with the same verifier.
    let first = w.model;
    w.model = w.register_model(w.verifier);
    let (r, mut s3) = w.commit("hand", 1);
    ok(r);
    ok(w.deposit(w.payers[0], REVENUE));
    ok(w.close(trainer));
    w.prove("hand", &mut s3);
    let mut replay = s3.clone();
    replay.proof = s.proof.clone();
    reverts_with::<S::InvalidProof>(&w.settle(&replay));
    ok(w.settle(&s3));
    w.model = first;
    ok(w.settle(&s2));
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
    };
    let registry = w.d.registry;
    ok(w.chain
        .call(w.owners[2], registry, U256::ZERO, give.abi_encode())
        .unwrap());
    let (r, mut s) = w.commit("hand", 1);
    ok(r);
    ok(w.deposit(w.payers[0], REVENUE));
    ok(w.close(w.trainer));
    let pool = w.prove("hand", &mut s);
    ok(w.settle(&s));
    let leaves = s.leaves(&pool);
    let amount = w.amounts(&s, &pool)[2];
    let call = s.claim_call(&leaves, 2, amount, Address::ZERO).abi_encode();
    let eve = Address::with_last_byte(0xee);
    let arm = IReentrant::armCall {
        call: Bytes::from(call.clone()),
    };
    ok(w.chain
        .call(eve, attacker, U256::ZERO, arm.abi_encode())
        .unwrap());
    ok(w.send(w.owners[0], call));
    assert_eq!(w.chain.balance(attacker), amount, "paid exactly once");
    let flag = w
        .chain
        .call(
            eve,
            attacker,
            U256::ZERO,
            IReentrant::reenteredCall {}.abi_encode(),
        )
        .unwrap();
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

/// M-3 of the review: a pool below n that pays no one (possible with S > 0)
/// is dust, not a void epoch, so one wei cannot void an epoch. And revenue
/// stays below 2^96, so no deposit can push a pool out of range.
#[test]
fn a_small_pool_is_dust_and_revenue_is_capped() {
    let mut w = World::new(Pay::Eth);
    let (r, mut s) = w.commit("hand", 1);
    ok(r);
    // Shares 176 + 88 and fees 1,500 leave a pool of 2 < n = 3.
    ok(w.deposit(w.payers[0], 1_766));
    ok(w.close(w.trainer));
    let pool = w.prove("hand", &mut s);
    assert_eq!(pool.pool, U256::from(2));
    ok(w.settle(&s));
    assert_eq!(w.phase(1), SETTLED);
    let amounts = w.amounts(&s, &pool);
    assert!(amounts[3] - pool.developer < U256::from(3));

    let whale = Address::with_last_byte(0x77);
    let cap = U256::from(1) << 96;
    w.chain.fund(whale, cap * U256::from(2));
    let r = w.d.deposit(&mut w.chain, whale, w.model, cap, cap).unwrap();
    reverts_with::<S::RevenueCapReached>(&r);
    let below = cap - U256::from(1);
    ok(w.d
        .deposit(&mut w.chain, whale, w.model, below, below)
        .unwrap());
    reverts_with::<S::RevenueCapReached>(&w.deposit(w.payers[0], 1));
}
