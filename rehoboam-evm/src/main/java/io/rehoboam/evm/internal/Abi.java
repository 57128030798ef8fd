package io.rehoboam.evm.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The few ABI encodings the source and executor need, by hand: they run for every pool on every
 * block, and fixed-layout calls need no reflection-driven encoder.
 */
public final class Abi {
  public static final String GET_RESERVES = "0x0902f1ac";
  public static final String TOKEN0 = "0x0dfe1681";
  public static final String TOKEN1 = "0xd21220a7";
  public static final String DECIMALS = "0x313ce567";
  public static final String SYMBOL = "0x95d89b41";
  private static final String GET_PAIR = "e6a43905";
  private static final String BALANCE_OF = "70a08231";
  private static final String ALLOWANCE = "dd62ed3e";

  /** topic0 of {@code Sync(uint112 reserve0, uint112 reserve1)}. */
  public static final String SYNC_TOPIC =
      "0x1c411e9a96e071241c2f21f7726b17ae89e3cab4c78be50e062b03a9fffbbad1";

  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
  private static final Pattern HASH = Pattern.compile("0x[0-9a-fA-F]{64}");

  private Abi() {}

  /** True for a 20-byte hex address with 0x. */
  public static boolean isAddress(String s) {
    return s != null && ADDRESS.matcher(s).matches();
  }

  /** True for a 32-byte hex value with 0x. */
  public static boolean isHash(String s) {
    return s != null && HASH.matcher(s).matches();
  }

  public static String word(String address) {
    return "000000000000000000000000" + Numeric.cleanHexPrefix(address).toLowerCase(Locale.ROOT);
  }

  public static String word(BigInteger value) {
    return Numeric.toHexStringNoPrefixZeroPadded(value, 64);
  }

  public static String getPair(String tokenA, String tokenB) {
    return "0x" + GET_PAIR + word(tokenA) + word(tokenB);
  }

  public static String balanceOf(String owner) {
    return "0x" + BALANCE_OF + word(owner);
  }

  public static String allowance(String owner, String spender) {
    return "0x" + ALLOWANCE + word(owner) + word(spender);
  }

  /** The {@code index}-th 32-byte word of ABI output as an unsigned integer. */
  public static BigInteger uint(String hex, int index) {
    String clean = Numeric.cleanHexPrefix(hex);
    int from = index * 64;
    if (clean.length() < from + 64) {
      throw new IllegalArgumentException(
          "ABI output has " + clean.length() / 64 + " words, wanted word " + index);
    }
    return new BigInteger(clean.substring(from, from + 64), 16);
  }

  /** The {@code index}-th word of ABI output as an address, lower-case. */
  public static String address(String hex, int index) {
    String clean = Numeric.cleanHexPrefix(hex);
    int from = index * 64;
    if (clean.length() < from + 64) {
      throw new IllegalArgumentException("ABI output too short for an address");
    }
    return "0x" + clean.substring(from + 24, from + 64).toLowerCase(Locale.ROOT);
  }

  /**
   * A token symbol: an ABI string, or a bytes32 (some old tokens), or null when neither decodes to
   * printable text.
   */
  public static String symbol(String hex) {
    String clean = Numeric.cleanHexPrefix(hex == null ? "" : hex);
    try {
      if (clean.length() >= 128) {
        int offset = new BigInteger(clean.substring(0, 64), 16).intValueExact();
        int len = new BigInteger(clean.substring(offset * 2, offset * 2 + 64), 16).intValueExact();
        byte[] bytes =
            Numeric.hexStringToByteArray(
                clean.substring(offset * 2 + 64, offset * 2 + 64 + len * 2));
        return printable(new String(bytes, StandardCharsets.UTF_8));
      }
      if (clean.length() == 64) {
        byte[] bytes = Numeric.hexStringToByteArray(clean);
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
          end++;
        }
        return printable(new String(bytes, 0, end, StandardCharsets.UTF_8));
      }
    } catch (RuntimeException e) {
      return null;
    }
    return null;
  }

  private static String printable(String s) {
    return s.isBlank() || !s.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f) ? null : s;
  }

  /**
   * The CREATE2 address of the pair of two tokens under a Uniswap-V2-style factory: {@code
   * keccak256(0xff ++ factory ++ keccak256(token0 ++ token1) ++ initCodeHash)[12:]}.
   */
  public static String pairFor(String factory, String tokenA, String tokenB, String initCodeHash) {
    String a = Numeric.cleanHexPrefix(tokenA).toLowerCase(Locale.ROOT);
    String b = Numeric.cleanHexPrefix(tokenB).toLowerCase(Locale.ROOT);
    String t0 = a.compareTo(b) < 0 ? a : b;
    String t1 = a.compareTo(b) < 0 ? b : a;
    byte[] salt = Hash.sha3(Numeric.hexStringToByteArray(t0 + t1));
    byte[] packed =
        Numeric.hexStringToByteArray(
            "ff"
                + Numeric.cleanHexPrefix(factory).toLowerCase(Locale.ROOT)
                + Numeric.toHexStringNoPrefix(salt)
                + Numeric.cleanHexPrefix(initCodeHash).toLowerCase(Locale.ROOT));
    return "0x"
        + Numeric.toHexStringNoPrefixZeroPadded(new BigInteger(1, Hash.sha3(packed)), 64)
            .substring(24);
  }

  /** Splits ABI output into 32-byte words (hex without 0x). */
  public static List<String> words(String hex) {
    String clean = Numeric.cleanHexPrefix(hex);
    List<String> out = new ArrayList<>();
    for (int i = 0; i + 64 <= clean.length(); i += 64) {
      out.add(clean.substring(i, i + 64));
    }
    return out;
  }
}
