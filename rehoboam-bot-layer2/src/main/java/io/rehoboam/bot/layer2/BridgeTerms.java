package io.rehoboam.bot.layer2;

import io.rehoboam.spi.Checks;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * What one bridge charges for a transfer in one direction.
 *
 * @param name the bridge's name (shown in the bridge legs' pool ids)
 * @param feeBps the share of the amount the bridge keeps, in basis points (taken from the amount:
 *     {@code ceil(amount * feeBps / 10000)})
 * @param fixedFeeWei a fixed fee per transfer, paid in the origin chain's native token
 * @param depositGas gas units of the deposit transaction on the origin chain
 * @param settlement how long a transfer takes to arrive
 * @param haircutBpsPerMinute the price-move risk charged on the value in flight, in basis points
 *     per minute of {@code settlement}
 */
public record BridgeTerms(
    String name,
    int feeBps,
    BigInteger fixedFeeWei,
    long depositGas,
    Duration settlement,
    BigDecimal haircutBpsPerMinute) {
  private static final BigDecimal TEN_THOUSAND = BigDecimal.valueOf(10_000);
  private static final BigDecimal NANOS_PER_MINUTE = BigDecimal.valueOf(60_000_000_000L);

  public BridgeTerms {
    Checks.notBlank(name, "bridge name");
    Checks.check(feeBps >= 0 && feeBps < 10_000, "fee_bps", "must be 0..9999, was " + feeBps);
    Checks.nonNegative(fixedFeeWei, "fixed_fee_wei");
    Checks.nonNegative(depositGas, "deposit_gas");
    Checks.notNull(settlement, "settlement");
    Checks.check(!settlement.isNegative(), "settlement", "must not be negative");
    Checks.notNull(haircutBpsPerMinute, "haircut_bps_per_minute");
    Checks.check(
        haircutBpsPerMinute.signum() >= 0, "haircut_bps_per_minute", "must not be negative");
  }

  /** The percentage fee on {@code amount}: {@code ceil(amount * feeBps / 10000)}. */
  public BigInteger fee(BigInteger amount) {
    BigInteger[] qr =
        amount.multiply(BigInteger.valueOf(feeBps)).divideAndRemainder(BigInteger.valueOf(10_000));
    return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
  }

  /** The haircut as a fraction of the value in flight: bps per minute times minutes / 10000. */
  public BigDecimal haircutRate() {
    BigDecimal minutes =
        new BigDecimal(BigInteger.valueOf(settlement.toNanos()))
            .divide(NANOS_PER_MINUTE, MathContext.DECIMAL128);
    return haircutBpsPerMinute.multiply(minutes).divide(TEN_THOUSAND, MathContext.DECIMAL128);
  }

  /** The haircut on {@code value} base units in flight, rounded up. */
  public BigInteger haircut(BigInteger value) {
    return new BigDecimal(value)
        .multiply(haircutRate())
        .setScale(0, RoundingMode.CEILING)
        .toBigIntegerExact();
  }
}
