package io.rehoboam.spi.market;

import io.rehoboam.spi.Checks;
import java.math.BigInteger;
import java.util.Locale;

/**
 * A Uniswap-V2-style constant-product pool: two tokens, integer reserves in base units (each at
 * most 2^112-1, as a pair stores them), and a fee in basis points (30 = 0.3%).
 *
 * @param id unique within a service across chains and venues (for example {@code 1:0xabc...})
 * @param chainId the EVM chain id (or a simulated one)
 * @param dex the venue, for example {@code uniswap_v2}
 * @param address the pool's address, lower-case
 * @param token0 the address of token0, lower-case
 * @param token1 the address of token1, lower-case
 */
public record Pool(
    String id,
    long chainId,
    String dex,
    String address,
    String token0,
    String token1,
    BigInteger reserve0,
    BigInteger reserve1,
    int feeBps) {

  /** The largest reserve a Uniswap V2 pair can hold: 2^112 - 1. */
  public static final BigInteger MAX_RESERVE =
      BigInteger.ONE.shiftLeft(112).subtract(BigInteger.ONE);

  public Pool {
    Checks.notBlank(id, "pool_id");
    Checks.nonNegative(chainId, "chain_id");
    Checks.notBlank(dex, "dex");
    address = Checks.notBlank(address, "address").toLowerCase(Locale.ROOT);
    token0 = Checks.notBlank(token0, "token0").toLowerCase(Locale.ROOT);
    token1 = Checks.notBlank(token1, "token1").toLowerCase(Locale.ROOT);
    Checks.check(!token0.equals(token1), "token1", "must differ from token0");
    checkReserve(reserve0, "reserve0");
    checkReserve(reserve1, "reserve1");
    Checks.check(feeBps >= 0 && feeBps < 10_000, "fee_bps", "must be 0..9999, was " + feeBps);
  }

  private static void checkReserve(BigInteger reserve, String field) {
    Checks.nonNegative(reserve, field);
    Checks.check(reserve.compareTo(MAX_RESERVE) <= 0, field, "must be at most 2^112-1");
  }

  /** This pool with new reserves. */
  public Pool withReserves(BigInteger newReserve0, BigInteger newReserve1) {
    return new Pool(id, chainId, dex, address, token0, token1, newReserve0, newReserve1, feeBps);
  }

  /** True when {@code token} is one of the pool's two tokens. */
  public boolean has(String token) {
    return token0.equals(token) || token1.equals(token);
  }
}
