// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Test doubles: an ERC20 whose transfers may return nothing (as USDT's
/// do) and may burn a fee (a fee-on-transfer token), and a dataset owner
/// that re-enters claim when paid.

contract MockToken {
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    bool public immutable returnsValue;
    /// Burnt from every transfer: the receiver gets `amount − fee`.
    uint256 public immutable feeBps;

    constructor(bool returnsValue_, uint256 feeBps_) {
        returnsValue = returnsValue_;
        feeBps = feeBps_;
    }

    function mint(address to, uint256 amount) external {
        balanceOf[to] += amount;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        return true;
    }

    function transfer(address to, uint256 amount) external {
        _move(msg.sender, to, amount);
        _ret();
    }

    function transferFrom(address from, address to, uint256 amount) external {
        allowance[from][msg.sender] -= amount;
        _move(from, to, amount);
        _ret();
    }

    function _move(address from, address to, uint256 amount) private {
        balanceOf[from] -= amount;
        balanceOf[to] += amount - (amount * feeBps) / 10_000;
    }

    function _ret() private view {
        if (returnsValue) {
            assembly {
                mstore(0, 1)
                return(0, 32)
            }
        }
    }
}

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
