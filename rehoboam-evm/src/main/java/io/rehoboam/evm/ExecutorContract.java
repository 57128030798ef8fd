package io.rehoboam.evm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/**
 * Rehoboam's executor contract, {@code RehoboamExecutor} ({@code src/main/solidity} of this module;
 * the compiled artifact ships as the resource {@value #ARTIFACT}, and a test recompiles the source
 * with the pinned solc and compares). It runs every leg of an arbitrage through Uniswap-V2-style
 * pairs in one transaction and reverts unless the caller's start-token balance grew by at least the
 * minimum profit. It can pay the block's builder ({@code block.coinbase}) a share of the profit,
 * unwrapped from a wrapped-native start token, inside the same all-or-nothing check.
 *
 * <p>Deploy it once per chain ({@link #creationCode()} is the deployment transaction's data) and
 * approve it to spend the start tokens of the account that trades; give its address to the {@code
 * evm} executor as {@code contract}.
 */
public final class ExecutorContract {
  /** Class-path location of the compiled artifact (abi, bytecode, compiler). */
  public static final String ARTIFACT = "/io/rehoboam/evm/RehoboamExecutor.json";

  private static final JsonNode COMPILED = load();

  /** One swap of the path: the pair, whether the input is its token0, its fee in basis points. */
  public record Hop(String pair, boolean inputIsToken0, int feeBps) {
    /** The hop packed as the contract reads it. */
    public BigInteger packed() {
      return Numeric.toBigInt(pair)
          .or(inputIsToken0 ? BigInteger.ONE.shiftLeft(160) : BigInteger.ZERO)
          .or(BigInteger.valueOf(feeBps).shiftLeft(168));
    }
  }

  private ExecutorContract() {}

  private static JsonNode load() {
    try (InputStream in = ExecutorContract.class.getResourceAsStream(ARTIFACT)) {
      if (in == null) {
        throw new IllegalStateException(ARTIFACT + " is missing from rehoboam-evm");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + ARTIFACT, e);
    }
  }

  /** The creation code (hex with 0x): the data of the deployment transaction. */
  public static String creationCode() {
    return "0x" + Numeric.cleanHexPrefix(COMPILED.path("bytecode").asText());
  }

  /** The compiler that produced the artifact, for example {@code solc 0.8.28+commit...}. */
  public static String compiler() {
    return COMPILED.path("compiler").asText();
  }

  /** The ABI as JSON text. */
  public static String abi() {
    return COMPILED.path("abi").toString();
  }

  /**
   * The calldata of {@code execute(token, amountIn, minProfit, deadlineBlock, 0, hops)}: no builder
   * payment.
   *
   * @param deadlineBlock the last block it may be mined in, 0 for none
   */
  public static String encodeExecute(
      String token, BigInteger amountIn, BigInteger minProfit, long deadlineBlock, List<Hop> hops) {
    return encodeExecute(token, amountIn, minProfit, deadlineBlock, BigInteger.ZERO, hops);
  }

  /**
   * The calldata of {@code execute(token, amountIn, minProfit, deadlineBlock, coinbasePayment,
   * hops)}.
   *
   * @param deadlineBlock the last block it may be mined in, 0 for none
   * @param coinbasePayment wei paid to the block's builder out of the caller's {@code token}, which
   *     must then be the chain's wrapped native token (the contract unwraps it); 0 for none. The
   *     contract's profit check counts it: the caller's balance must still grow by {@code
   *     minProfit} after paying it.
   */
  public static String encodeExecute(
      String token,
      BigInteger amountIn,
      BigInteger minProfit,
      long deadlineBlock,
      BigInteger coinbasePayment,
      List<Hop> hops) {
    if (hops.isEmpty()) {
      throw new RehoboamException(ErrorCode.INVALID_ARGUMENT, "hops: must not be empty");
    }
    List<Uint256> packed = new ArrayList<>();
    for (Hop h : hops) {
      packed.add(new Uint256(h.packed()));
    }
    return FunctionEncoder.encode(
        new Function(
            "execute",
            List.of(
                new Address(token),
                new Uint256(amountIn),
                new Uint256(minProfit),
                new Uint256(BigInteger.valueOf(deadlineBlock)),
                new Uint256(coinbasePayment),
                new DynamicArray<>(Uint256.class, packed)),
            List.of()));
  }
}
