// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// What a prover and a claimant compute off chain, written from SPEC §6 and
/// the claims-tree layout in AttributionSettlement's notice (not by calling
/// the contract): the split of a pool by scores, γ and h, and the claims
/// tree with its Merkle paths.
library Poa {
    /// BN254 scalar field modulus r (SPEC §2).
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// a_c = floor(pool·s_c/S); all zero when S = 0. Scores are < 2^64 and
    /// pools < 2^96 in the tests, so pool·s_c cannot overflow.
    function split(uint256 pool, uint256[] memory scores) internal pure returns (uint256[] memory a, uint256 paid) {
        a = new uint256[](scores.length);
        uint256 s = 0;
        for (uint256 c = 0; c < scores.length; c++) s += scores[c];
        if (s == 0) return (a, 0);
        for (uint256 c = 0; c < scores.length; c++) {
            a[c] = (pool * scores[c]) / s;
            paid += a[c];
        }
    }

    /// SPEC §6: γ = keccak256(chainid ‖ settlement ‖ model ‖ epoch ‖ Q ‖ V ‖
    /// pool ‖ n ‖ ids ‖ payouts) mod r, every item a 32-byte word.
    function gamma(
        address settlement,
        uint256 model,
        uint256 epoch,
        uint256 q,
        uint256 v,
        uint256 pool,
        uint256[] memory ids,
        uint256[] memory payouts
    ) internal view returns (uint256) {
        bytes memory head = abi.encode(block.chainid, settlement, model, epoch, q, v, pool, ids.length);
        return uint256(keccak256(abi.encodePacked(head, ids, payouts))) % R;
    }

    /// SPEC §6: h = Σ_c D_c γ^(2c+1) + a_c γ^(2c+2) mod r (powers, not Horner).
    function compress(uint256 g, uint256[] memory ids, uint256[] memory payouts) internal pure returns (uint256 h) {
        uint256 p = g;
        for (uint256 c = 0; c < ids.length; c++) {
            h = addmod(h, mulmod(ids[c] % R, p, R), R);
            p = mulmod(p, g, R);
            h = addmod(h, mulmod(payouts[c] % R, p, R), R);
            p = mulmod(p, g, R);
        }
    }

    /// The public inputs a proof of these payouts has.
    function inputs(
        address settlement,
        uint256 model,
        uint256 epoch,
        uint256 q,
        uint256 v,
        uint256 pool,
        uint256[] memory ids,
        uint256[] memory payouts
    ) internal view returns (uint256[5] memory x) {
        uint256 g = gamma(settlement, model, epoch, q, v, pool, ids, payouts);
        x = [q, v, pool, g, compress(g, ids, payouts)];
    }

    /// Leaf amounts of a settled epoch's claims tree: slot c gets payout +
    /// fee, leaf n the trainer, leaf n + 1 the compute provider.
    function amounts(uint256[] memory payouts, uint256[] memory fees, uint256 trainer, uint256 compute)
        internal
        pure
        returns (uint256[] memory x)
    {
        uint256 n = payouts.length;
        x = new uint256[](n + 2);
        for (uint256 c = 0; c < n; c++) x[c] = payouts[c] + fees[c];
        x[n] = trainer;
        x[n + 1] = compute;
    }

    /// Leaf i: keccak256(i ‖ datasetId ‖ amount), dataset 0 for leaves n and n + 1.
    function leafHash(uint256 i, uint256 id, uint256 amount) internal pure returns (bytes32) {
        return keccak256(abi.encode(i, id, amount));
    }

    /// The tree's bottom level, zero-padded to a power of two.
    function leaves(uint256[] memory ids, uint256[] memory amts) internal pure returns (bytes32[] memory level) {
        uint256 width = 1;
        while (width < amts.length) width <<= 1;
        level = new bytes32[](width);
        for (uint256 i = 0; i < amts.length; i++) level[i] = leafHash(i, i < ids.length ? ids[i] : 0, amts[i]);
    }

    function root(bytes32[] memory level) internal pure returns (bytes32) {
        bytes32[] memory l = _copy(level);
        for (uint256 w = l.length; w > 1; w >>= 1) {
            for (uint256 i = 0; i < w / 2; i++) l[i] = keccak256(abi.encode(l[2 * i], l[2 * i + 1]));
        }
        return l[0];
    }

    /// Siblings of leaf `index`, bottom up.
    function path(bytes32[] memory level, uint256 index) internal pure returns (bytes32[] memory p) {
        bytes32[] memory l = _copy(level);
        uint256 depth = 0;
        for (uint256 w = l.length; w > 1; w >>= 1) depth++;
        p = new bytes32[](depth);
        uint256 d = 0;
        for (uint256 w = l.length; w > 1; w >>= 1) {
            p[d++] = l[index ^ 1];
            for (uint256 i = 0; i < w / 2; i++) l[i] = keccak256(abi.encode(l[2 * i], l[2 * i + 1]));
            index >>= 1;
        }
    }

    function _copy(bytes32[] memory a) private pure returns (bytes32[] memory b) {
        b = new bytes32[](a.length);
        for (uint256 i = 0; i < a.length; i++) b[i] = a[i];
    }
}
