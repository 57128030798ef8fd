package io.rehoboam.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.scan.AmmMath;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scan engine's exact amount-out equals what the deployed UniswapV2Router02.getAmountsOut
 * returns on chain, hop by hop, for random reserves (pairs among 8 tokens, 10^4..10^30 base units
 * each side) and random inputs over one to three hops.
 */
class GoldenVectorsIT {
  private static final int TOKENS = 8;
  private static AnvilNode node;
  private static ChainClient chain;
  private static UniswapV2.Dex dex;
  private static final List<String> tokens = new ArrayList<>();
  private static final Map<String, BigInteger[]> reservesByPair = new HashMap<>();
  private static final Map<String, String> token0ByPair = new HashMap<>();
  private static final Random random = new Random(20261124L);

  @BeforeAll
  static void deploy() {
    node = AnvilNode.start();
    chain = ChainClient.connect(node, 0);
    String weth = UniswapV2.deployWeth(chain);
    dex = UniswapV2.deployDex(chain, "uniswap_v2", weth);
    for (int i = 0; i < TOKENS; i++) {
      tokens.add(UniswapV2.deployToken(chain, BigInteger.ONE.shiftLeft(200)));
    }
    for (int i = 0; i < TOKENS; i++) {
      for (int j = i + 1; j < TOKENS; j++) {
        String pair =
            UniswapV2.createPair(
                chain, dex, tokens.get(i), tokens.get(j), randomReserve(), randomReserve());
        reservesByPair.put(pair, UniswapV2.reserves(chain, pair));
        token0ByPair.put(pair, UniswapV2.token0(chain, pair));
      }
    }
  }

  @AfterAll
  static void stop() {
    if (chain != null) {
      chain.close();
    }
    if (node != null) {
      node.close();
    }
  }

  private static BigInteger randomReserve() {
    // log-uniform between 10^4 and 10^30
    int digits = 4 + random.nextInt(27);
    return new BigInteger(digits * 10 / 3, random)
        .mod(BigInteger.TEN.pow(digits))
        .add(BigInteger.TEN.pow(digits - 1));
  }

  private static BigInteger randomAmount() {
    int digits = 1 + random.nextInt(29);
    return new BigInteger(digits * 10 / 3 + 1, random)
        .mod(BigInteger.TEN.pow(digits))
        .add(BigInteger.ONE);
  }

  /** What the engine's AmmMath says for each hop; an intermediate zero ends the list. */
  private static List<BigInteger> engineAmounts(BigInteger amountIn, List<String> path) {
    List<BigInteger> amounts = new ArrayList<>(List.of(amountIn));
    BigInteger amount = amountIn;
    for (int i = 0; i + 1 < path.size(); i++) {
      if (amount.signum() == 0) {
        return null; // the router refuses a zero input: INSUFFICIENT_INPUT_AMOUNT
      }
      String pair = UniswapV2.pairFor(dex.factory(), path.get(i), path.get(i + 1));
      BigInteger[] r = reservesByPair.get(pair);
      boolean inIsToken0 = token0ByPair.get(pair).equals(path.get(i));
      amount = AmmMath.amountOut(amount, inIsToken0 ? r[0] : r[1], inIsToken0 ? r[1] : r[0], 30);
      amounts.add(amount);
    }
    return amounts;
  }

  @Test
  void engineAmountOutEqualsRouterGetAmountsOutOverRandomPathsAndReserves() {
    int samples = 400;
    List<BigInteger> inputs = new ArrayList<>();
    List<List<String>> paths = new ArrayList<>();
    List<String> to = new ArrayList<>();
    List<String> data = new ArrayList<>();
    for (int s = 0; s < samples; s++) {
      List<String> shuffled = new ArrayList<>(tokens);
      Collections.shuffle(shuffled, random);
      List<String> path = List.copyOf(shuffled.subList(0, 2 + random.nextInt(3)));
      BigInteger amountIn = randomAmount();
      inputs.add(amountIn);
      paths.add(path);
      to.add(dex.router());
      data.add(UniswapV2.encodeGetAmountsOut(amountIn, path));
    }
    List<String> outputs = new ArrayList<>();
    for (int from = 0; from < samples; from += 100) {
      outputs.addAll(chain.callBatch(to.subList(from, from + 100), data.subList(from, from + 100)));
    }
    int compared = 0;
    int multiHop = 0;
    for (int s = 0; s < samples; s++) {
      List<BigInteger> expected = engineAmounts(inputs.get(s), paths.get(s));
      String out = outputs.get(s);
      if (expected == null) {
        assertNull(out, "sample " + s + ": the router should refuse a zero intermediate amount");
        continue;
      }
      List<BigInteger> onChain = UniswapV2.decodeAmounts(out, inputs.get(s), paths.get(s));
      assertEquals(expected, onChain, "sample " + s + " path " + paths.get(s));
      compared++;
      if (paths.get(s).size() > 2) {
        multiHop++;
      }
    }
    assertTrue(compared >= 300, "compared only " + compared + " samples");
    assertTrue(multiHop >= 150, "compared only " + multiHop + " multi-hop samples");
  }

  @Test
  void create2PairForMatchesTheFactoryWithTheMainnetInitCodeHash() {
    String expected = UniswapV2.pairFor(dex.factory(), tokens.get(0), tokens.get(1));
    String fromFactory =
        ((String)
                chain
                    .call(
                        dex.factory(),
                        new org.web3j.abi.datatypes.Function(
                            "getPair",
                            List.of(
                                new org.web3j.abi.datatypes.Address(tokens.get(1)),
                                new org.web3j.abi.datatypes.Address(tokens.get(0))),
                            List.of(
                                new org.web3j.abi.TypeReference<
                                    org.web3j.abi.datatypes.Address>() {})))
                    .get(0)
                    .getValue())
            .toLowerCase();
    assertEquals(expected, fromFactory);
  }
}
