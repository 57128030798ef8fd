package io.rehoboam.bot.layer2;

import io.rehoboam.spi.Checks;
import java.math.BigInteger;

/**
 * What a transaction costs on one chain, in the chain's native token (wei).
 *
 * @param chainId the chain
 * @param gasPriceWei the gas price the bot assumes (the chain's own)
 * @param gasPerSwap gas units of one swap transaction
 * @param l1DataFeeWei what an L2 pays per transaction for posting its data to L1; 0 on L1
 * @param nativeAsset the asset (of the {@link AssetMap}) gas is paid in, for example WETH
 */
public record ChainCosts(
    long chainId,
    BigInteger gasPriceWei,
    long gasPerSwap,
    BigInteger l1DataFeeWei,
    String nativeAsset) {
  public ChainCosts {
    Checks.nonNegative(chainId, "chain_id");
    Checks.notBlank(nativeAsset, "native_asset");
    Checks.nonNegative(gasPriceWei, "gas_price");
    Checks.nonNegative(gasPerSwap, "gas_per_swap");
    Checks.nonNegative(l1DataFeeWei, "l1_data_fee_wei");
  }

  /** The cost of one swap transaction: {@code gasPerSwap * gasPrice + l1DataFee}. */
  public BigInteger swapWei() {
    return transactionWei(gasPerSwap);
  }

  /** The cost of one transaction of {@code gasUnits}: {@code gasUnits * gasPrice + l1DataFee}. */
  public BigInteger transactionWei(long gasUnits) {
    Checks.nonNegative(gasUnits, "gas_units");
    return gasPriceWei.multiply(BigInteger.valueOf(gasUnits)).add(l1DataFeeWei);
  }
}
