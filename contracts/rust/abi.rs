//! Typed ABIs of the contracts (alloy `sol!`): calls, returns, errors.
#![allow(missing_docs)]

use alloy_sol_types::sol;

sol! {
    #![sol(all_derives)]
    /// `IPoaVerifier.sol`.
    interface IPoaVerifier {
        function verifyProof(bytes calldata proof, uint256[5] calldata inputs) external view returns (bool);
    }

    /// `DatasetRegistry.sol`.
    interface IDatasetRegistry {
        function challengeBlocks() external view returns (uint256);
        function registrationCommitment(uint256 id, address registrant, bytes32 secret) external pure returns (bytes32);
        function commitRegistration(bytes32 commitment) external;
        function register(uint256 id, bool trainingAllowed, uint128 feePerEpoch, bytes32 secret) external;
        function updateTerms(uint256 id, bool trainingAllowed, uint128 feePerEpoch) external;
        function transferOwnership(uint256 id, address newOwner) external;
        function ownerOf(uint256 id) external view returns (address);
        function registeredAt(uint256 id) external view returns (uint64);
        function terms(uint256 id) external view returns (bool trainingAllowed, uint128 feePerEpoch);
        function usableFrom(uint256 id) external view returns (uint256);
        function feesNow(uint256[] ids) external view returns (uint256[] fees, uint256 total);
        error InvalidCommitment(uint256 id);
        error NoRegistrationCommitment(uint256 id, address registrant);
        error AlreadyRegistered(uint256 id);
        error NotRegistered(uint256 id);
        error NotUsableYet(uint256 id, uint256 usableFrom);
        error NotDatasetOwner(uint256 id, address caller);
        error ZeroOwner();
        error LicenseForbidsTraining(uint256 id);
        error ChallengeWindowTooLong(uint256 blocks);
    }

    /// `AttributionSettlement.sol`.
    interface IAttributionSettlement {
        function registerModel(address verifier, uint32 slots, uint16 developerShareBps, address computeProvider, uint16 computeShareBps, address token, uint32 epochDuration, uint32 settleWindow) external returns (uint256);
        function deposit(uint256 model, uint256 amount) external payable returns (uint256);
        function withdraw(uint256 model, address to) external;
        function commitEpoch(uint256 model, uint256 epoch, uint256 q, uint256 v, uint256[] datasetIds, uint256[] maxFees) external;
        function close(uint256 model) external;
        function settle(uint256 model, uint256 epoch, uint256 q, uint256 v, uint256[] datasetIds, uint256[] fees, uint256[] payouts, bytes proof) external;
        function claim(uint256 model, uint256 epoch, uint256 leaf, uint256 datasetId, uint256 amount, bytes32[] path, address to) external;
        function refund(uint256 model, uint256 epoch, address to) external;
        function modelCount() external view returns (uint256);
        function models(uint256 model) external view returns (address trainer, uint16 developerShareBps, uint16 computeShareBps, uint32 slots, address verifier, uint32 epochDuration, uint32 settleWindow, address computeProvider, uint64 epochs, bool open, bytes32 verifierCodeHash, address token);
        event ModelRegistered(uint256 indexed model, address indexed trainer, address verifier, bytes32 verifierCodeHash, uint32 slots, uint16 developerShareBps, address computeProvider, uint16 computeShareBps, address token, uint32 epochDuration, uint32 settleWindow);
        event Claimed(uint256 indexed model, uint256 indexed epoch, uint256 indexed leaf, uint256 datasetId, address to, uint256 amount);
        event EpochCommitted(uint256 indexed model, uint256 indexed epoch, uint256 q, uint256 v, uint256[] datasetIds, uint256[] fees);
        event RevenueDeposited(uint256 indexed model, uint256 indexed epoch, address indexed from, uint256 amount);
        event EpochClosed(uint256 indexed model, uint256 indexed epoch, uint256 revenue, uint256 pool);
        event EpochVoided(uint256 indexed model, uint256 indexed epoch);
        event EpochSettled(uint256 indexed model, uint256 indexed epoch, uint256 pool, uint256 fees, uint256 developerShare, uint256 computeShare, uint256 dust, bytes32 claimsRoot);
        function claimed(uint256 model, uint256 epoch, uint256 leaf) external view returns (bool);
        function poolOf(uint256 model, uint256 epoch) external view returns (bool ok, uint256 pool, uint256 developerShare, uint256 computeShare);
        function deposits(uint256 model, uint256 epoch, address depositor) external view returns (uint256);
        function epochs(uint256 model, uint256 epoch) external view returns (uint256 revenue, bytes32 root, uint40 openedAt, uint40 closedAt, uint32 n, uint8 phase, uint128 totalFees);
        error UnknownModel(uint256 model);
        error NotTrainer(uint256 model, address caller);
        error InvalidModel();
        error VerifierChanged(address verifier, bytes32 expected, bytes32 actual);
        error WrongEpoch(uint256 model, uint256 expected, uint256 given);
        error EpochStillOpen(uint256 model, uint256 epoch);
        error BadPhase(uint256 model, uint256 epoch, uint8 phase);
        error TooEarlyToClose(uint256 model, uint256 epoch, uint256 closableAt);
        error SettleWindowPassed(uint256 model, uint256 epoch, uint256 deadline);
        error NotExpired(uint256 model, uint256 epoch, uint256 expiresAfter);
        error NotAFieldElement(uint256 value);
        error WrongPayment(uint256 expected, uint256 received);
        error BadParticipants(uint256 n, uint256 slots);
        error DuplicateDataset(uint256 id);
        error FeeAboveMaximum(uint256 datasetId, uint256 fee, uint256 maximum);
        error RevenueCapReached(uint256 model, uint256 epoch, uint256 revenue);
        error InvalidRecipient(address to);
        error CommitmentMismatch(uint256 model, uint256 epoch);
        error PayoutTooLarge(uint256 slot, uint256 payout);
        error InvalidProof();
        error PayoutsExceedPool(uint256 paid, uint256 pool);
        error DustTooLarge(uint256 dust, uint256 n);
        error AlreadyClaimed(uint256 model, uint256 epoch, uint256 leaf);
        error InvalidClaim(uint256 model, uint256 epoch, uint256 leaf);
        error NotBeneficiary(address caller, address beneficiary);
        error NothingToRefund(uint256 model, uint256 epoch, address depositor);
        error TransferFailed(address to, uint256 amount);
    }
}
