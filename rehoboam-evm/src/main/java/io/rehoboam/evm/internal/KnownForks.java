package io.rehoboam.evm.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Uniswap-V2 forks by chain: the factory, the init-code hash its pair addresses derive from
 * (CREATE2), and the swap fee. Used by {@code discovery.factories} to name a factory instead of
 * giving its address. Every pair found is still checked against the CREATE2 address from the hash,
 * so an entry that went wrong would skip pairs with a warning, never watch a wrong contract.
 */
public final class KnownForks {
  /** One fork's deployment on one chain. */
  public record Fork(long chainId, String name, String factory, String initCodeHash, int feeBps) {}

  private static final String UNISWAP_HASH =
      "0x96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f";
  private static final String SUSHI_HASH =
      "0xe18a34eb0e04b04f7a0ac29a6e80748dca96319b42c54d679cb821dca90c6303";

  /** The registry, in the order the README lists it. */
  public static final List<Fork> ALL =
      List.of(
          new Fork(1, "uniswap_v2", "0x5c69bee701ef814a2b6a3edd4b1652cb9cc5aa6f", UNISWAP_HASH, 30),
          new Fork(1, "sushiswap", "0xc0aee478e3658e2610c5f7a4a2e1777ce9e4f2ac", SUSHI_HASH, 30),
          new Fork(
              56,
              "pancakeswap_v2",
              "0xca143ce32fe78f1f7019d7d551a6402fc5350c73",
              "0x00fb7f630766e6a796048ea87d01acd3068e8ff67d078148a3fa3f4a84f69bd5",
              25),
          new Fork(137, "sushiswap", "0xc35dadb65012ec5796536bd9864ed8773abc74c4", SUSHI_HASH, 30),
          new Fork(
              42161, "sushiswap", "0xc35dadb65012ec5796536bd9864ed8773abc74c4", SUSHI_HASH, 30),
          new Fork(
              8453, "uniswap_v2", "0x8909dc15e40173ff4699343b6eb8132c65e18ec6", UNISWAP_HASH, 30));

  private KnownForks() {}

  /** The fork called {@code name} on {@code chainId}. */
  public static Optional<Fork> find(long chainId, String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return ALL.stream().filter(f -> f.chainId() == chainId && f.name().equals(n)).findFirst();
  }

  /** The names known on {@code chainId}, for error messages. */
  public static List<String> names(long chainId) {
    return ALL.stream().filter(f -> f.chainId() == chainId).map(Fork::name).toList();
  }
}
