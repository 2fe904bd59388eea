// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// Smoke test of the Foundry setup (forge through scripts/solc, offline): a
// unit test, a fuzz test and an invariant test (handler, ghost variables,
// targetContract) on a small vault defined here, holding an OpenZeppelin
// ERC20, so the OpenZeppelin remapping is exercised as well.

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Test} from "./utils/Test.sol";

contract SmokeToken is ERC20 {
    constructor() ERC20("Smoke", "SMK") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}

/// Holds deposits of one token; `total` is the sum of `balanceOf`.
contract SmokeVault {
    ERC20 public immutable token;
    mapping(address => uint256) public balanceOf;
    uint256 public total;

    error Insufficient(uint256 have, uint256 want);

    constructor(ERC20 token_) {
        token = token_;
    }

    function deposit(uint256 amount) external {
        balanceOf[msg.sender] += amount;
        total += amount;
        require(token.transferFrom(msg.sender, address(this), amount));
    }

    function withdraw(uint256 amount) external {
        uint256 have = balanceOf[msg.sender];
        if (have < amount) revert Insufficient(have, amount);
        balanceOf[msg.sender] = have - amount;
        total -= amount;
        require(token.transfer(msg.sender, amount));
    }
}

/// What the invariant fuzzer calls: deposits and withdrawals by a few
/// actors, with the sums the vault must agree with.
contract SmokeHandler is Test {
    SmokeToken public immutable token;
    SmokeVault public immutable vault;
    address[3] internal actors;
    uint256 public ghostDeposited;
    uint256 public ghostWithdrawn;
    uint256 public calls;

    constructor(SmokeToken token_, SmokeVault vault_) {
        token = token_;
        vault = vault_;
        actors = [address(0xA11CE), address(0xB0B), address(0xCA11)];
    }

    function deposit(uint256 actorSeed, uint256 amount) external {
        address actor = actors[actorSeed % actors.length];
        amount = bound(amount, 0, 1e30);
        token.mint(actor, amount);
        vm.startPrank(actor);
        token.approve(address(vault), amount);
        vault.deposit(amount);
        vm.stopPrank();
        ghostDeposited += amount;
        calls++;
    }

    function withdraw(uint256 actorSeed, uint256 amount) external {
        address actor = actors[actorSeed % actors.length];
        amount = bound(amount, 0, vault.balanceOf(actor));
        vm.prank(actor);
        vault.withdraw(amount);
        ghostWithdrawn += amount;
        calls++;
    }

    function sumOfBalances() external view returns (uint256 s) {
        for (uint256 i = 0; i < actors.length; i++) {
            s += vault.balanceOf(actors[i]);
        }
    }
}

contract SmokeTest is Test {
    SmokeToken token;
    SmokeVault vault;
    SmokeHandler handler;
    address alice = address(0xA11CE);

    function setUp() public {
        token = new SmokeToken();
        vault = new SmokeVault(token);
        handler = new SmokeHandler(token, vault);
        targetContract(address(handler));
    }

    function test_depositWithdraw() public {
        token.mint(alice, 100);
        vm.startPrank(alice);
        token.approve(address(vault), 100);
        vault.deposit(60);
        vault.withdraw(20);
        vm.stopPrank();
        assertEq(vault.balanceOf(alice), 40);
        assertEq(token.balanceOf(address(vault)), 40);
        assertEq(token.balanceOf(alice), 60);

        vm.expectRevert(abi.encodeWithSelector(SmokeVault.Insufficient.selector, 40, 41));
        vm.prank(alice);
        vault.withdraw(41);
    }

    function testFuzz_depositWithdraw(uint256 deposit, uint256 withdrawal) public {
        deposit = bound(deposit, 0, type(uint128).max);
        withdrawal = bound(withdrawal, 0, deposit);
        token.mint(alice, deposit);
        vm.startPrank(alice);
        token.approve(address(vault), deposit);
        vault.deposit(deposit);
        vault.withdraw(withdrawal);
        vm.stopPrank();
        assertEq(vault.balanceOf(alice), deposit - withdrawal);
        assertEq(token.balanceOf(alice), withdrawal);
        assertEq(vault.total(), token.balanceOf(address(vault)));
    }

    function invariant_vaultHoldsWhatItOwes() public view {
        assertEq(vault.total(), token.balanceOf(address(vault)), "vault total != its token balance");
        assertEq(vault.total(), handler.sumOfBalances(), "vault total != sum of balances");
        assertEq(vault.total(), handler.ghostDeposited() - handler.ghostWithdrawn(), "vault total != in - out");
    }
}
