package io.rehoboam.testsupport;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint112;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Deploys and drives Uniswap V2 from the official npm artifacts: test ERC-20 tokens ({@code
 * v2-core} ERC20, whole supply minted to the deployer, 18 decimals), WETH9, factories, Router02 and
 * pairs with liquidity.
 */
public final class UniswapV2 {
  /**
   * keccak256 of the v2-core UniswapV2Pair creation code: the init-code hash CREATE2 pair addresses
   * derive from (the mainnet value).
   */
  public static final String INIT_CODE_HASH =
      "0x96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f";

  /** A deployed venue: a factory and the Router02 bound to it. */
  public record Dex(String name, String factory, String router) {}

  private UniswapV2() {}

  /** Deploys a test token with {@code supply} base units minted to the client's account. */
  public static String deployToken(ChainClient c, BigInteger supply) {
    return c.deploy(ChainTools.creationCode("@uniswap/v2-core/build/ERC20"), new Uint256(supply));
  }

  public static String deployWeth(ChainClient c) {
    return c.deploy(ChainTools.creationCode("@uniswap/v2-periphery/build/WETH9"));
  }

  /**
   * Plants WETH9 at {@code address} (for example mainnet's, so that a configuration written for
   * mainnet names the same token on a local chain): deploys it, copies its runtime code there with
   * {@code anvil_setCode} and writes the storage its constructor would have ({@code name}, {@code
   * symbol}, {@code decimals}). Returns the address, lower-case.
   */
  public static String plantWethAt(ChainClient c, String address) {
    String deployed = deployWeth(c);
    Object code = c.rpc("eth_getCode", deployed, "latest");
    c.rpc("anvil_setCode", address, code);
    c.rpc("anvil_setStorageAt", address, slot(0), shortString("Wrapped Ether"));
    c.rpc("anvil_setStorageAt", address, slot(1), shortString("WETH"));
    c.rpc("anvil_setStorageAt", address, slot(2), String.format("0x%064x", 18));
    return address.toLowerCase(Locale.ROOT);
  }

  private static String slot(int n) {
    return String.format("0x%064x", n);
  }

  /** Solidity's storage of a string under 32 bytes: the bytes, then twice the length. */
  private static String shortString(String text) {
    byte[] word = new byte[32];
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, word, 0, bytes.length);
    word[31] = (byte) (bytes.length * 2);
    return org.web3j.utils.Numeric.toHexString(word);
  }

  /** Deploys a factory (fee setter: the client) and a Router02 for it. */
  public static Dex deployDex(ChainClient c, String name, String weth) {
    String factory =
        c.deploy(
            ChainTools.creationCode("@uniswap/v2-core/build/UniswapV2Factory"),
            new Address(c.address()));
    String router =
        c.deploy(
            ChainTools.creationCode("@uniswap/v2-periphery/build/UniswapV2Router02"),
            new Address(factory),
            new Address(weth));
    return new Dex(name, factory, router);
  }

  /**
   * Creates the pair of two tokens on {@code dex} and adds liquidity (transfer both amounts, mint),
   * all from the client's balance. Returns the pair address.
   */
  public static String createPair(
      ChainClient c,
      Dex dex,
      String tokenA,
      String tokenB,
      BigInteger amountA,
      BigInteger amountB) {
    c.send(
        dex.factory(),
        new Function("createPair", List.of(new Address(tokenA), new Address(tokenB)), List.of()));
    String pair = pairFor(dex.factory(), tokenA, tokenB);
    c.transfer(tokenA, pair, amountA);
    c.transfer(tokenB, pair, amountB);
    c.send(pair, new Function("mint", List.of(new Address(c.address())), List.of()));
    return pair;
  }

  /**
   * Creates {@code count} pairs among {@code tokens} (every unordered pair in order, so {@code
   * count} must not exceed n(n-1)/2) on {@code dex}, each with {@code amount} of both tokens,
   * sending without waiting for each receipt (the node mines each one as it arrives). Returns the
   * pair addresses in creation order.
   */
  public static List<String> createPairsQuickly(
      ChainClient c, Dex dex, List<String> tokens, int count, BigInteger amount) {
    List<String> pairs = new ArrayList<>();
    String last = null;
    // Mining a block per transaction costs ~15 ms each; a hundred pairs per block is far faster.
    c.rpc("evm_setAutomine", false);
    c.rpc("anvil_setBlockGasLimit", "0x" + Long.toHexString(1_000_000_000L));
    try {
      for (int i = 0; i < tokens.size() && pairs.size() < count; i++) {
        for (int j = i + 1; j < tokens.size() && pairs.size() < count; j++) {
          String a = tokens.get(i);
          String b = tokens.get(j);
          c.sendRaw(
              dex.factory(),
              FunctionEncoder.encode(
                  new Function("createPair", List.of(new Address(a), new Address(b)), List.of())),
              BigInteger.ZERO);
          String pair = pairFor(dex.factory(), a, b);
          c.sendRaw(a, transferData(pair, amount), BigInteger.ZERO);
          c.sendRaw(b, transferData(pair, amount), BigInteger.ZERO);
          last =
              c.sendRaw(
                  pair,
                  FunctionEncoder.encode(
                      new Function("mint", List.of(new Address(c.address())), List.of())),
                  BigInteger.ZERO);
          pairs.add(pair);
          if (pairs.size() % 100 == 0) {
            mineBatch(c, last, pairs.size());
          }
        }
      }
      if (pairs.size() % 100 != 0) {
        mineBatch(c, last, pairs.size());
      }
    } finally {
      c.rpc("anvil_setBlockGasLimit", "0x" + Long.toHexString(30_000_000L));
      c.rpc("evm_setAutomine", true);
    }
    if (pairs.size() != count) {
      throw new IllegalArgumentException(
          tokens.size() + " tokens make only " + pairs.size() + " pairs, not " + count);
    }
    return pairs;
  }

  private static void mineBatch(ChainClient c, String last, int made) {
    c.rpc("evm_mine");
    if (last != null && !c.awaitReceipt(last).isStatusOK()) {
      throw new IllegalStateException("minting pair " + made + " reverted");
    }
  }

  private static String transferData(String to, BigInteger amount) {
    return FunctionEncoder.encode(
        new Function("transfer", List.of(new Address(to), new Uint256(amount)), List.of()));
  }

  /** The CREATE2 address of the pair of two tokens under a factory (tokens sorted as the pair). */
  public static String pairFor(String factory, String tokenA, String tokenB) {
    String a = tokenA.toLowerCase(Locale.ROOT);
    String b = tokenB.toLowerCase(Locale.ROOT);
    String t0 = a.compareTo(b) < 0 ? a : b;
    String t1 = a.compareTo(b) < 0 ? b : a;
    byte[] salt =
        Hash.sha3(
            Numeric.hexStringToByteArray(Numeric.cleanHexPrefix(t0) + Numeric.cleanHexPrefix(t1)));
    String packed =
        "ff"
            + Numeric.cleanHexPrefix(factory)
            + Numeric.toHexStringNoPrefix(salt)
            + Numeric.cleanHexPrefix(INIT_CODE_HASH);
    byte[] hash = Hash.sha3(Numeric.hexStringToByteArray(packed));
    return "0x" + Numeric.toHexStringNoPrefix(hash).substring(24);
  }

  /** The pair's reserves: {@code [reserve0, reserve1]}. */
  @SuppressWarnings("rawtypes")
  public static BigInteger[] reserves(ChainClient c, String pair) {
    List<Type> out =
        c.call(
            pair,
            new Function(
                "getReserves",
                List.of(),
                List.of(
                    new TypeReference<Uint112>() {},
                    new TypeReference<Uint112>() {},
                    new TypeReference<Uint32>() {})));
    return new BigInteger[] {
      (BigInteger) out.get(0).getValue(), (BigInteger) out.get(1).getValue()
    };
  }

  /** The lower-case address of the pair's token0. */
  public static String token0(ChainClient c, String pair) {
    return ((String)
            c.call(
                    pair,
                    new Function("token0", List.of(), List.of(new TypeReference<Address>() {})))
                .get(0)
                .getValue())
        .toLowerCase(Locale.ROOT);
  }

  /**
   * Prepares a direct swap on a pair, the way a searcher's contract does: sends {@code amountIn} of
   * {@code tokenIn} to the pair (waiting for it) and returns the calldata of the pair's {@code
   * swap} for exactly the amount the constant-product formula with a 0.3% fee gives; send it to the
   * pair with {@link ChainClient#sendRaw}.
   */
  public static String prepareSwapOnPair(
      ChainClient c, String pair, String tokenIn, BigInteger amountIn) {
    BigInteger[] r = reserves(c, pair);
    boolean inIs0 = token0(c, pair).equals(tokenIn.toLowerCase(Locale.ROOT));
    BigInteger reserveIn = inIs0 ? r[0] : r[1];
    BigInteger reserveOut = inIs0 ? r[1] : r[0];
    BigInteger withFee = amountIn.multiply(BigInteger.valueOf(997));
    BigInteger out =
        withFee
            .multiply(reserveOut)
            .divide(reserveIn.multiply(BigInteger.valueOf(1000)).add(withFee));
    c.transfer(tokenIn, pair, amountIn);
    return FunctionEncoder.encode(
        new Function(
            "swap",
            List.of(
                new Uint256(inIs0 ? BigInteger.ZERO : out),
                new Uint256(inIs0 ? out : BigInteger.ZERO),
                new Address(c.address()),
                new org.web3j.abi.datatypes.DynamicBytes(new byte[0])),
            List.of()));
  }

  /** Encodes {@code Router02.getAmountsOut(amountIn, path)}. */
  public static String encodeGetAmountsOut(BigInteger amountIn, List<String> path) {
    return FunctionEncoder.encode(getAmountsOut(amountIn, path));
  }

  /** Decodes the output of {@code getAmountsOut}. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static List<BigInteger> decodeAmounts(String hex, BigInteger amountIn, List<String> path) {
    List<Type> out =
        org.web3j.abi.FunctionReturnDecoder.decode(
            hex, getAmountsOut(amountIn, path).getOutputParameters());
    List<BigInteger> amounts = new ArrayList<>();
    for (Object v : ((DynamicArray) out.get(0)).getValue()) {
      amounts.add(((Uint256) v).getValue());
    }
    return amounts;
  }

  private static Function getAmountsOut(BigInteger amountIn, List<String> path) {
    List<Address> addresses = path.stream().map(Address::new).toList();
    return new Function(
        "getAmountsOut",
        List.of(new Uint256(amountIn), new DynamicArray<>(Address.class, addresses)),
        List.of(new TypeReference<DynamicArray<Uint256>>() {}));
  }

  /**
   * Swaps exactly {@code amountIn} along {@code path} through the router, from and to the client
   * (approving the router first); returns the swap's receipt.
   */
  public static TransactionReceipt swapExactTokensForTokens(
      ChainClient c, Dex dex, BigInteger amountIn, List<String> path) {
    c.approve(path.get(0), dex.router(), amountIn);
    List<Address> addresses = path.stream().map(Address::new).toList();
    return c.send(
        dex.router(),
        new Function(
            "swapExactTokensForTokens",
            List.of(
                new Uint256(amountIn),
                new Uint256(BigInteger.ZERO),
                new DynamicArray<>(Address.class, addresses),
                new Address(c.address()),
                new Uint256(BigInteger.ONE.shiftLeft(64))),
            List.of()));
  }
}
