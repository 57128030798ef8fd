// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

interface IERC20Minimal {
    function balanceOf(address owner) external view returns (uint256);
}

interface IWrappedNative {
    function withdraw(uint256 amount) external;
}

interface IUniswapV2PairMinimal {
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);

    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external;
}

/// @title Rehoboam's arbitrage executor
/// @notice Runs every leg of an arbitrage through Uniswap-V2-style pairs in one transaction and
/// reverts the whole transaction unless the caller ends with at least `minProfit` more of the start
/// token than it began with: an arbitrage is either done completely and profitably, or not at all.
/// @dev Stateless and ownerless: it only moves the caller's own tokens (transferFrom msg.sender,
/// which the caller must have approved) and sends the last leg's output back to the caller. Each
/// hop's output is computed on chain from the pair's current reserves with the same integer formula
/// as UniswapV2Library.getAmountOut (fee in basis points), so a stale plan cannot overpay.
/// A builder payment (for bundles) is taken from the caller's start token after the swaps, which
/// must then be the chain's wrapped native token: unwrapped and sent to `block.coinbase`, and the
/// profit check counts it, so the builder is paid only out of a profitable arbitrage.
contract RehoboamExecutor {
    /// @dev The wrapped native token being unwrapped right now, the one sender `receive` accepts.
    address private transient unwrapping;

    /// @param token the start token (the first hop takes it, the last returns it)
    /// @param amountIn how much of `token` to put into the first pair
    /// @param minProfit the least balance increase of `token` that lets the transaction stand
    /// @param deadlineBlock the last block the transaction may be mined in; 0 for none
    /// @param coinbasePayment wei paid to the block's builder (`block.coinbase`) from the caller's
    /// `token`, which must then be the wrapped native token; 0 for none
    /// @param hops one word per swap: bits 0-159 the pair, bit 160 set when the input is the
    /// pair's token0, bits 168-183 the pair's fee in basis points
    /// @return profit the caller's balance increase of `token`
    function execute(
        address token,
        uint256 amountIn,
        uint256 minProfit,
        uint256 deadlineBlock,
        uint256 coinbasePayment,
        uint256[] calldata hops
    ) external returns (uint256 profit) {
        require(hops.length > 0, "RehoboamExecutor: no hops");
        require(amountIn > 0, "RehoboamExecutor: zero input");
        require(deadlineBlock == 0 || block.number <= deadlineBlock, "RehoboamExecutor: deadline passed");
        uint256 balanceBefore = IERC20Minimal(token).balanceOf(msg.sender);
        _transferFrom(token, msg.sender, address(uint160(hops[0])), amountIn);
        uint256 amount = amountIn;
        for (uint256 i = 0; i < hops.length; i++) {
            address to = i + 1 < hops.length ? address(uint160(hops[i + 1])) : msg.sender;
            amount = _swap(hops[i], amount, to);
        }
        if (coinbasePayment > 0) {
            _payCoinbase(token, coinbasePayment);
        }
        uint256 balanceAfter = IERC20Minimal(token).balanceOf(msg.sender);
        require(balanceAfter >= balanceBefore + minProfit, "RehoboamExecutor: profit below minimum");
        return balanceAfter - balanceBefore;
    }

    /// @dev Swaps `amountIn` (already in the pair) for the constant-product output, sent to `to`.
    function _swap(uint256 hop, uint256 amountIn, address to) private returns (uint256 amountOut) {
        address pair = address(uint160(hop));
        bool inputIsToken0 = (hop >> 160) & 1 == 1;
        uint256 feeBps = (hop >> 168) & 0xffff;
        require(feeBps < 10000, "RehoboamExecutor: bad fee");
        (uint112 reserve0, uint112 reserve1,) = IUniswapV2PairMinimal(pair).getReserves();
        (uint256 reserveIn, uint256 reserveOut) =
            inputIsToken0 ? (uint256(reserve0), uint256(reserve1)) : (uint256(reserve1), uint256(reserve0));
        uint256 inWithFee = amountIn * (10000 - feeBps);
        amountOut = (inWithFee * reserveOut) / (reserveIn * 10000 + inWithFee);
        require(amountOut > 0, "RehoboamExecutor: zero output");
        if (inputIsToken0) {
            IUniswapV2PairMinimal(pair).swap(0, amountOut, to, new bytes(0));
        } else {
            IUniswapV2PairMinimal(pair).swap(amountOut, 0, to, new bytes(0));
        }
    }

    /// @dev Takes `amount` of the wrapped native `token` from the caller, unwraps it and pays it to
    /// the block's builder.
    function _payCoinbase(address token, uint256 amount) private {
        _transferFrom(token, msg.sender, address(this), amount);
        unwrapping = token;
        IWrappedNative(token).withdraw(amount);
        unwrapping = address(0);
        (bool paid,) = block.coinbase.call{value: amount}("");
        require(paid, "RehoboamExecutor: coinbase payment failed");
    }

    /// @dev Only the wrapped native token, while it is being unwrapped, may send ether here.
    receive() external payable {
        require(msg.sender == unwrapping && msg.sender != address(0), "RehoboamExecutor: no deposits");
    }

    function _transferFrom(address token, address from, address to, uint256 value) private {
        // transferFrom(address,address,uint256); some tokens return nothing instead of true
        (bool ok, bytes memory data) = token.call(abi.encodeWithSelector(0x23b872dd, from, to, value));
        require(ok && (data.length == 0 || abi.decode(data, (bool))), "RehoboamExecutor: transferFrom failed");
    }
}
