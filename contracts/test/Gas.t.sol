// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SettlementFixture} from "./utils/SettlementFixture.sol";
import {Poa} from "./utils/Poa.sol";

/// Gas of commitEpoch, settle and the first claim at n = 1, 16, 64, 256
/// (`scripts/forge snapshot --match-contract Gas` writes .gas-snapshot;
/// `--check` compares). Each call is the first of its test, with what comes
/// before it done in setUp (a separate call), so its storage is cold as in
/// a transaction of its own; a snapshot line is that call plus a few
/// hundred gas of the test's own (and the cold access to the settlement,
/// 2,600, which a transaction's execution gas does not pay). settle uses the
/// verifier double: the real Groth16 verifier costs 214,692 more
/// (contracts/tests/gas.rs, real proofs). Issue 14's budgets are enforced by
/// gas.rs on real proofs; here `snapshot --check` catches any change.
abstract contract GasTest is SettlementFixture {
    uint256 internal constant COMMIT = 0;
    uint256 internal constant SETTLE = 1;
    uint256 internal constant CLAIM = 2;

    uint256 internal model;
    uint256[] internal ids;
    uint256[] internal fees;
    uint256 internal pool;
    uint256[] internal payouts;
    uint256[] internal amts;
    bytes32[] internal path;

    function n() internal pure virtual returns (uint256);

    /// The call the test measures; setUp does everything before it.
    function stage() internal pure virtual returns (uint256);

    function setUp() public override {
        super.setUp();
        (ids, fees) = _datasets(n(), 7, 1e12);
        model = _model(uint32(n()), 1000, 500, address(0));
        _deposit(model, makeAddr("payer"), 1e18);
        // Owners are existing accounts (they registered), as in gas.rs: a
        // payment to an empty account would add 25,000.
        for (uint256 c = 0; c < n(); c++) vm.deal(_owner(c), 1);
        if (stage() == COMMIT) return;
        Ep memory e = _commit(model, ids, fees);
        _close(e);
        uint256 dev;
        uint256 comp;
        (, pool, dev, comp) = _pool(e);
        uint256[] memory scores = new uint256[](n());
        for (uint256 c = 0; c < n(); c++) scores[c] = c + 1;
        uint256 paid;
        (payouts, paid) = Poa.split(pool, scores);
        _prove(e, pool, payouts);
        if (stage() == SETTLE) return;
        _settle(e, payouts);
        bytes32[] memory level;
        (amts, level) = _tree(e, payouts, dev + pool - paid, comp);
        path = Poa.path(level, 0);
    }

    /// Only the settlement call is metered: the test's own reads of its
    /// storage (the arguments) run with metering paused.
    function _measured() internal {
        vm.pauseGasMetering();
        uint256[] memory i = ids;
        uint256[] memory f = fees;
        if (stage() == COMMIT) {
            vm.prank(trainer);
            vm.resumeGasMetering();
            settlement.commitEpoch(model, 1, Q, V, i, f);
            vm.pauseGasMetering();
            assertEq(_committed(model), 1);
        } else if (stage() == SETTLE) {
            uint256[] memory a = payouts;
            vm.resumeGasMetering();
            settlement.settle(model, 1, Q, V, i, f, a, "");
            vm.pauseGasMetering();
            assertEq(uint256(_phase(model, 1)), 3); // Settled
        } else {
            (uint256 id, uint256 amount, bytes32[] memory p) = (i[0], amts[0], path);
            vm.resumeGasMetering();
            settlement.claim(model, 1, 0, id, amount, p, address(0));
            vm.pauseGasMetering();
            assertEq(_owner(0).balance, 1 + amount);
        }
    }
}

contract GasN1CommitEpoch is GasTest {
    function n() internal pure override returns (uint256) {
        return 1;
    }

    function stage() internal pure override returns (uint256) {
        return COMMIT;
    }

    function test_commitEpoch() public {
        _measured();
    }
}

contract GasN1Settle is GasTest {
    function n() internal pure override returns (uint256) {
        return 1;
    }

    function stage() internal pure override returns (uint256) {
        return SETTLE;
    }

    function test_settle() public {
        _measured();
    }
}

contract GasN1FirstClaim is GasTest {
    function n() internal pure override returns (uint256) {
        return 1;
    }

    function stage() internal pure override returns (uint256) {
        return CLAIM;
    }

    function test_firstClaim() public {
        _measured();
    }
}

contract GasN16CommitEpoch is GasTest {
    function n() internal pure override returns (uint256) {
        return 16;
    }

    function stage() internal pure override returns (uint256) {
        return COMMIT;
    }

    function test_commitEpoch() public {
        _measured();
    }
}

contract GasN16Settle is GasTest {
    function n() internal pure override returns (uint256) {
        return 16;
    }

    function stage() internal pure override returns (uint256) {
        return SETTLE;
    }

    function test_settle() public {
        _measured();
    }
}

contract GasN16FirstClaim is GasTest {
    function n() internal pure override returns (uint256) {
        return 16;
    }

    function stage() internal pure override returns (uint256) {
        return CLAIM;
    }

    function test_firstClaim() public {
        _measured();
    }
}

contract GasN64CommitEpoch is GasTest {
    function n() internal pure override returns (uint256) {
        return 64;
    }

    function stage() internal pure override returns (uint256) {
        return COMMIT;
    }

    function test_commitEpoch() public {
        _measured();
    }
}

contract GasN64Settle is GasTest {
    function n() internal pure override returns (uint256) {
        return 64;
    }

    function stage() internal pure override returns (uint256) {
        return SETTLE;
    }

    function test_settle() public {
        _measured();
    }
}

contract GasN64FirstClaim is GasTest {
    function n() internal pure override returns (uint256) {
        return 64;
    }

    function stage() internal pure override returns (uint256) {
        return CLAIM;
    }

    function test_firstClaim() public {
        _measured();
    }
}

contract GasN256CommitEpoch is GasTest {
    function n() internal pure override returns (uint256) {
        return 256;
    }

    function stage() internal pure override returns (uint256) {
        return COMMIT;
    }

    function test_commitEpoch() public {
        _measured();
    }
}

contract GasN256Settle is GasTest {
    function n() internal pure override returns (uint256) {
        return 256;
    }

    function stage() internal pure override returns (uint256) {
        return SETTLE;
    }

    function test_settle() public {
        _measured();
    }
}

contract GasN256FirstClaim is GasTest {
    function n() internal pure override returns (uint256) {
        return 256;
    }

    function stage() internal pure override returns (uint256) {
        return CLAIM;
    }

    function test_firstClaim() public {
        _measured();
    }
}
