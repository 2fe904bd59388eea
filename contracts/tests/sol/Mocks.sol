// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Test double: a dataset owner that re-enters claim when paid. The tokens
/// are test/mocks/Tokens.sol's (shared with the forge suites).

interface ISettlementClaim {
    function claim(uint256 model, uint256 epoch, uint256 leaf, uint256 datasetId, uint256 amount, bytes32[] calldata path, address to) external;
}

contract Reentrant {
    bytes public lastCall;
    uint256 public reentered;

    /// Remembers a claim to replay when paid.
    function arm(bytes calldata call) external {
        lastCall = call;
    }

    receive() external payable {
        if (reentered == 0) {
            reentered = 1;
            (bool ok,) = msg.sender.call(lastCall);
            // Swallow the failure: the outer claim must still pay only once.
            reentered = ok ? 2 : 3;
        }
    }
}
