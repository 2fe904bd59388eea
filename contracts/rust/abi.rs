//! Typed ABIs of the contracts (alloy `sol!`): calls, returns, errors.
#![allow(missing_docs)]

use alloy_sol_types::sol;

sol! {
    /// `IPoaVerifier.sol`.
    interface IPoaVerifier {
        function verifyProof(bytes calldata proof, uint256[5] calldata inputs) external view returns (bool);
    }

    /// `DatasetRegistry.sol`.
    interface IDatasetRegistry {
        function register(uint256 id, bool trainingAllowed, uint128 feePerEpoch) external;
        function updateTerms(uint256 id, bool trainingAllowed, uint128 feePerEpoch) external;
        function transferOwnership(uint256 id, address newOwner) external;
        function ownerOf(uint256 id) external view returns (address);
        function registeredAt(uint256 id) external view returns (uint64);
        function termsAt(uint256 id, uint256 blockNumber) external view returns (bool trainingAllowed, uint128 feePerEpoch);
        function feesAt(uint256[] ids, uint256 blockNumber) external view returns (uint256[] fees, uint256 total);
        error InvalidCommitment(uint256 id);
        error LicenseForbidsTraining(uint256 id);
        error AlreadyRegistered(uint256 id);
        error NotRegistered(uint256 id);
        error NotDatasetOwner(uint256 id, address caller);
        error ZeroOwner();
    }

    /// `AttributionSettlement.sol`.
    interface IAttributionSettlement {
        function registerModel(address verifier, uint32 slots, uint16 developerShareBps, address token) external returns (uint256);
        function commitEpoch(uint256 model, uint256 epoch, uint256 q, uint256 v) external;
        function deposit(uint256 model, uint256 epoch, uint256 amount) external payable;
        function settle(uint256 model, uint256 epoch, uint256[] datasetIds, uint256[] payouts, bytes proof) external;
        function claim(uint256 model, uint256 epoch, uint256 slot, uint256 datasetId, uint256 amount, bytes32[] path) external;
        error UnknownModel(uint256 model);
        error NotTrainer(uint256 model, address caller);
        error InvalidModel();
        error AlreadyCommitted(uint256 model, uint256 epoch);
        error NotCommitted(uint256 model, uint256 epoch);
        error AlreadySettled(uint256 model, uint256 epoch);
        error NotSettled(uint256 model, uint256 epoch);
        error NotAFieldElement(uint256 value);
        error WrongPayment(uint256 expected, uint256 received);
        error BadParticipants(uint256 n, uint256 payouts, uint256 slots);
        error PayoutTooLarge(uint256 slot, uint256 payout);
        error PoolNegative(uint256 revenue, uint256 developerShare, uint256 fees);
        error PoolTooLarge(uint256 pool);
        error InvalidProof();
        error PayoutsExceedPool(uint256 paid, uint256 pool);
        error AlreadyClaimed(uint256 model, uint256 epoch, uint256 slot);
        error InvalidClaim(uint256 model, uint256 epoch, uint256 slot);
        error TransferFailed(address to, uint256 amount);
    }
}
