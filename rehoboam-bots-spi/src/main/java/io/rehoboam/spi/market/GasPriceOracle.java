package io.rehoboam.spi.market;

import java.math.BigInteger;
import java.util.Optional;

/**
 * What a transaction sent now would pay per unit of gas on a source's chain, as the source last
 * estimated it (for an EVM chain: the next block's base fee plus a priority fee). A capability a
 * market source may offer ({@link MarketSource#capability(Class)}); a live monitor configured to
 * price gas from its source reads it on every scan.
 *
 * <p>Threading: must not block (it answers the last estimate, it does not ask the chain).
 */
public interface GasPriceOracle {

  /** The price per gas unit in wei of the native token; empty while no estimate is known. */
  Optional<BigInteger> gasPriceWei();
}
