//! An in-process chain (revm, Cancun rules) for contract tests.

use alloy_sol_types::SolCall;
use revm::db::{CacheDB, EmptyDB};
use revm::precompile::PrecompileSpecId;
use revm::primitives::{
    AccountInfo, Address, Bytecode, Bytes, ExecutionResult, Log, Output, SpecId, TxKind, U256,
};
use revm::{ContextPrecompiles, Evm};
use std::sync::Arc;

use crate::abi::IPoaVerifier;
use crate::Error;

/// The outcome of a call.
#[derive(Clone, Debug)]
pub struct Receipt {
    /// Whether it succeeded (not reverted or halted).
    pub success: bool,
    /// Return data, or revert data (a halt: `halted: REASON` in ASCII).
    pub output: Vec<u8>,
    /// Gas used, intrinsic cost (21,000 and calldata) excluded.
    pub gas: u64,
    /// Events emitted (none when it reverted).
    pub logs: Vec<Log>,
}

/// The gas limit of a transaction: 30M, Ethereum mainnet's block gas limit
/// at Cancun.
pub const BLOCK_GAS: u64 = 30_000_000;

/// A chain with one block per transaction.
pub struct Chain {
    evm: Evm<'static, (), CacheDB<EmptyDB>>,
}

impl Default for Chain {
    fn default() -> Self {
        Self::new()
    }
}

fn intrinsic(data: &[u8]) -> u64 {
    21_000
        + data
            .iter()
            .map(|&b| if b == 0 { 4 } else { 16 })
            .sum::<u64>()
}

impl Chain {
    /// An empty chain, chain id 1, block 1.
    pub fn new() -> Self {
        let evm = Evm::builder()
            .with_db(CacheDB::new(EmptyDB::default()))
            .with_spec_id(SpecId::CANCUN)
            .build();
        Self::at_block_one(evm)
    }

    /// [`Chain::new`] without the BN254 precompiles (`0x06`–`0x08`), as on
    /// a chain that lacks them: a call there reaches an empty account,
    /// which succeeds and returns nothing. For tests of the verifiers'
    /// answer-size checks.
    pub fn without_bn254_precompiles() -> Self {
        Self::without_precompiles_from::<6>()
    }

    /// [`Chain::new`] without the pairing precompile (`0x08`) alone: the
    /// pairing's answer-size check is the only one that can refuse there.
    pub fn without_pairing_precompile() -> Self {
        Self::without_precompiles_from::<8>()
    }

    /// Without the precompiles `FROM` … `0x08`.
    fn without_precompiles_from<const FROM: u8>() -> Self {
        let evm = Evm::builder()
            .with_db(CacheDB::new(EmptyDB::default()))
            .with_spec_id(SpecId::CANCUN)
            .append_handler_register(|h| {
                h.pre_execution.load_precompiles = Arc::new(|| {
                    let mut p = ContextPrecompiles::new(PrecompileSpecId::CANCUN);
                    for a in FROM..=8 {
                        p.to_mut().remove(&Address::with_last_byte(a));
                    }
                    p
                });
            })
            .build();
        Self::at_block_one(evm)
    }

    fn at_block_one(mut evm: Evm<'static, (), CacheDB<EmptyDB>>) -> Self {
        evm.block_mut().number = U256::from(1);
        evm.block_mut().timestamp = U256::from(1_700_000_000u64);
        Chain { evm }
    }

    /// The chain id.
    pub fn chain_id(&self) -> u64 {
        self.evm.cfg().chain_id
    }

    /// The current block number.
    pub fn block_number(&self) -> u64 {
        self.evm.block().number.to::<u64>()
    }

    /// The current block's timestamp.
    pub fn timestamp(&self) -> u64 {
        self.evm.block().timestamp.to::<u64>()
    }

    /// Mines `blocks` empty blocks (12 s each).
    pub fn mine(&mut self, blocks: u64) {
        let block = self.evm.block_mut();
        block.number += U256::from(blocks);
        block.timestamp += U256::from(12 * blocks);
    }

    /// Moves the clock `seconds` forward (the block number by one).
    pub fn warp(&mut self, seconds: u64) {
        let block = self.evm.block_mut();
        block.number += U256::from(1);
        block.timestamp += U256::from(seconds);
    }

    /// Replaces the runtime code at `at` (tests: a proxy or a redeployment).
    pub fn set_code(&mut self, at: Address, code: Vec<u8>) -> Result<(), Error> {
        let mut info = self
            .evm
            .db_mut()
            .load_account(at)
            .map_err(|e| Error::Transaction(format!("{e:?}")))?
            .info
            .clone();
        let code = Bytecode::new_raw(Bytes::from(code));
        info.code_hash = code.hash_slow();
        info.code = Some(code);
        self.evm.db_mut().insert_account_info(at, info);
        Ok(())
    }

    /// The runtime code at `at`.
    pub fn code(&mut self, at: Address) -> Vec<u8> {
        self.evm
            .db_mut()
            .load_account(at)
            .ok()
            .and_then(|a| a.info.code.clone())
            .map(|c| c.original_bytes().to_vec())
            .unwrap_or_default()
    }

    /// Gives `who` a balance of `wei`.
    pub fn fund(&mut self, who: Address, wei: U256) {
        let info = AccountInfo {
            balance: wei,
            ..AccountInfo::default()
        };
        self.evm.db_mut().insert_account_info(who, info);
    }

    /// The balance of `who`.
    pub fn balance(&mut self, who: Address) -> U256 {
        self.evm
            .db_mut()
            .load_account(who)
            .map(|a| a.info.balance)
            .unwrap_or_default()
    }

    fn transact(
        &mut self,
        from: Address,
        to: TxKind,
        value: U256,
        data: Vec<u8>,
        gas_limit: u64,
    ) -> Result<ExecutionResult, Error> {
        let tx = self.evm.tx_mut();
        tx.caller = from;
        tx.transact_to = to;
        tx.data = Bytes::from(data);
        tx.value = value;
        tx.gas_limit = gas_limit;
        tx.gas_price = U256::ZERO;
        tx.nonce = None;
        let result = self
            .evm
            .transact_commit()
            .map_err(|e| Error::Transaction(format!("{e:?}")))?;
        // Next transaction in the next block, one second later.
        let block = self.evm.block_mut();
        block.number += U256::from(1);
        block.timestamp += U256::from(12);
        Ok(result)
    }

    /// Deploys `code` (creation code with encoded constructor arguments).
    pub fn deploy(&mut self, from: Address, name: &str, code: Vec<u8>) -> Result<Address, Error> {
        match self.transact(from, TxKind::Create, U256::ZERO, code, BLOCK_GAS)? {
            ExecutionResult::Success {
                output: Output::Create(_, Some(addr)),
                ..
            } => Ok(addr),
            _ => Err(Error::Deploy(name.into())),
        }
    }

    /// Calls `to` with `data` and `value` wei from `from`, with a whole
    /// block's gas.
    pub fn call(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: Vec<u8>,
    ) -> Result<Receipt, Error> {
        self.call_limited(from, to, value, data, BLOCK_GAS)
    }

    /// [`Chain::call`] with `gas` for the call itself (the intrinsic cost,
    /// 21,000 and calldata, is added to the transaction's limit).
    pub fn call_with_gas(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: Vec<u8>,
        gas: u64,
    ) -> Result<Receipt, Error> {
        let limit = intrinsic(&data).saturating_add(gas);
        self.call_limited(from, to, value, data, limit)
    }

    /// `IPoaVerifier.verifyProof(proof, inputs)` on `verifier` from `from`,
    /// with `gas` for the call: its answer (`None` if it reverted or
    /// halted) and the gas it used.
    pub fn verify_proof(
        &mut self,
        from: Address,
        verifier: Address,
        proof: &[u8],
        inputs: [U256; 5],
        gas: u64,
    ) -> Result<(Option<bool>, u64), Error> {
        let data = IPoaVerifier::verifyProofCall {
            proof: Bytes::copy_from_slice(proof),
            inputs,
        }
        .abi_encode();
        let r = self.call_with_gas(from, verifier, U256::ZERO, data, gas)?;
        if !r.success {
            return Ok((None, r.gas));
        }
        let ok = IPoaVerifier::verifyProofCall::abi_decode_returns(&r.output, true)
            .map_err(|e| Error::Transaction(format!("verifyProof answered no bool: {e}")))?;
        Ok((Some(ok._0), r.gas))
    }

    /// A call under the transaction gas limit `limit`.
    fn call_limited(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: Vec<u8>,
        limit: u64,
    ) -> Result<Receipt, Error> {
        let base = intrinsic(&data);
        Ok(
            match self.transact(from, TxKind::Call(to), value, data, limit)? {
                ExecutionResult::Success {
                    output,
                    gas_used,
                    logs,
                    ..
                } => Receipt {
                    success: true,
                    output: output.into_data().to_vec(),
                    gas: gas_used - base,
                    logs,
                },
                ExecutionResult::Revert { output, gas_used } => Receipt {
                    success: false,
                    output: output.to_vec(),
                    gas: gas_used - base,
                    logs: Vec::new(),
                },
                ExecutionResult::Halt { gas_used, reason } => Receipt {
                    success: false,
                    output: format!("halted: {reason:?}").into_bytes(),
                    gas: gas_used - base,
                    logs: Vec::new(),
                },
            },
        )
    }
}
