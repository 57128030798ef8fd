package io.rehoboam.evm.internal;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Finds the pairs of Uniswap-V2-style factories: from {@code PairCreated} logs (method {@code
 * logs}, from {@code from_block}, {@code log_blocks} blocks per {@code eth_getLogs}) or by {@code
 * allPairsLength()} and {@code allPairs(i)} (method {@code all_pairs}, batched). Each call of
 * {@link #poll} goes on from where the last one ended, so pairs created while the source runs are
 * found on the next block. Every pair is checked against the CREATE2 address from its factory's
 * init-code hash (a mismatch is logged and skipped), then against {@code min_liquidity}: pairs
 * below it are kept aside and read again every {@code recheck_interval}.
 *
 * <p>Threading: not thread-safe; used by the source's read cycle only.
 */
public final class PoolDiscovery {
  private static final Logger log = LoggerFactory.getLogger(PoolDiscovery.class);

  /**
   * topic0 of {@code PairCreated(address indexed token0, address indexed token1, address, uint)}.
   */
  public static final String PAIR_CREATED_TOPIC =
      Hash.sha3String("PairCreated(address,address,address,uint256)");

  static final String ALL_PAIRS_LENGTH = Hash.sha3String("allPairsLength()").substring(0, 10);
  static final String ALL_PAIRS = Hash.sha3String("allPairs(uint256)").substring(0, 10);

  /** A pair found and accepted. */
  public record Found(
      String pair, SourceConfig.DiscoveryFactory factory, String token0, String token1) {}

  private final String sourceId;
  private final SourceConfig.Discovery config;
  private final Map<String, SourceConfig.DiscoveryFactory> byFactory = new LinkedHashMap<>();
  private final Map<String, Long> pairsSeen = new HashMap<>();
  private final Map<String, Found> small = new LinkedHashMap<>();
  private final Map<String, Integer> decimals = new HashMap<>();
  private final Set<String> known = new LinkedHashSet<>();
  // Found by a poll that failed later on: handed out by the next poll.
  private final Map<String, Found> found = new LinkedHashMap<>();
  private long nextBlock;
  private Instant lastRecheck = Instant.MIN;

  public PoolDiscovery(String sourceId, SourceConfig.Discovery config) {
    this.sourceId = sourceId;
    this.config = config;
    for (SourceConfig.DiscoveryFactory f : config.factories()) {
      byFactory.putIfAbsent(f.address(), f);
    }
    this.nextBlock = config.fromBlock();
  }

  /** Pairs below {@code min_liquidity}, kept aside (for tests and status). */
  public int belowMinimum() {
    return small.size();
  }

  /**
   * The pairs found since the last call up to block {@code head} that pass the filters, plus pairs
   * kept aside that now do (read again when {@code recheck_interval} has passed).
   */
  public List<Found> poll(RpcClient rpc, long head, Instant now) throws IOException {
    // What a step finds is kept in `found` as it goes, so that a failure later in this poll (or in
    // the next step) loses nothing: the next poll hands it out.
    if (config.method().equals("logs")) {
      fromLogs(rpc, head);
    } else {
      fromAllPairs(rpc, head);
    }
    List<Found> fresh = new ArrayList<>();
    for (Found f : found.values()) {
      if (!known.contains(f.pair())) {
        fresh.add(f);
      }
    }
    List<Found> out = new ArrayList<>();
    if (config.minLiquidity().isEmpty()) {
      out.addAll(fresh);
      fresh.forEach(f -> known.add(f.pair()));
      found.clear();
      return out;
    }
    List<Found> toRead = new ArrayList<>(fresh);
    if (!small.isEmpty() && !now.isBefore(lastRecheck.plus(config.recheckInterval()))) {
      toRead.addAll(small.values());
      lastRecheck = now;
    }
    List<BigInteger[]> reserves = reserves(rpc, toRead, head);
    fresh.forEach(f -> known.add(f.pair()));
    found.clear();
    for (int i = 0; i < toRead.size(); i++) {
      Found f = toRead.get(i);
      if (reserves.get(i) != null && liquid(rpc, f, reserves.get(i))) {
        small.remove(f.pair());
        out.add(f);
      } else {
        small.put(f.pair(), f);
      }
    }
    return out;
  }

  private void fromLogs(RpcClient rpc, long head) throws IOException {
    List<String> factories = new ArrayList<>(byFactory.keySet());
    for (long from = nextBlock; from <= head; from += config.logBlocks()) {
      long to = Math.min(head, from + config.logBlocks() - 1);
      EthFilter filter = new EthFilter(RpcClient.at(from), RpcClient.at(to), factories);
      filter.addSingleTopic(PAIR_CREATED_TOPIC);
      EthLog answer = rpc.web3j().ethGetLogs(filter).send();
      if (answer.hasError()) {
        throw new IOException(
            "eth_getLogs of PairCreated in blocks "
                + from
                + ".."
                + to
                + ": "
                + answer.getError().getMessage());
      }
      for (EthLog.LogResult<?> result : answer.getLogs()) {
        if (!(result.get() instanceof Log entry) || entry.isRemoved()) {
          continue;
        }
        List<String> topics = entry.getTopics();
        String data = entry.getData();
        if (topics == null || topics.size() < 3 || data == null || data.length() < 2 + 64) {
          continue;
        }
        SourceConfig.DiscoveryFactory factory = byFactory.get(entry.getAddress().toLowerCase());
        if (factory == null) {
          continue;
        }
        String token0 = Abi.address(topics.get(1), 0);
        String token1 = Abi.address(topics.get(2), 0);
        Found f = checked(factory, Abi.address(data, 0), token0, token1);
        if (f != null) {
          found.putIfAbsent(f.pair(), f);
        }
      }
      nextBlock = to + 1;
    }
  }

  private void fromAllPairs(RpcClient rpc, long head) throws IOException {
    DefaultBlockParameter at = RpcClient.at(head);
    List<SourceConfig.DiscoveryFactory> factories = new ArrayList<>(byFactory.values());
    List<Request<?, ? extends Response<?>>> calls = new ArrayList<>();
    for (SourceConfig.DiscoveryFactory f : factories) {
      calls.add(rpc.callRequest(null, f.address(), ALL_PAIRS_LENGTH, at));
    }
    List<Response<?>> lengths = rpc.batch(calls);
    record Index(SourceConfig.DiscoveryFactory factory, long index) {}
    Map<String, Long> seenNow = new HashMap<>();
    List<Index> wanted = new ArrayList<>();
    calls.clear();
    for (int i = 0; i < factories.size(); i++) {
      SourceConfig.DiscoveryFactory f = factories.get(i);
      String v = value(lengths.get(i));
      if (v == null || v.length() < 66) {
        throw new IOException("factory " + f.address() + " does not answer allPairsLength()");
      }
      long length = Abi.uint(v, 0).longValueExact();
      long seen = pairsSeen.getOrDefault(f.address(), 0L);
      for (long k = seen; k < length; k++) {
        wanted.add(new Index(f, k));
        calls.add(
            rpc.callRequest(null, f.address(), ALL_PAIRS + Abi.word(BigInteger.valueOf(k)), at));
      }
      seenNow.put(f.address(), length);
    }
    List<Response<?>> pairs = rpc.batch(calls);
    List<String> addresses = new ArrayList<>();
    calls.clear();
    for (int i = 0; i < wanted.size(); i++) {
      String v = value(pairs.get(i));
      if (v == null || v.length() < 66) {
        throw new IOException(
            "factory "
                + wanted.get(i).factory().address()
                + " does not answer allPairs("
                + wanted.get(i).index()
                + ")");
      }
      String pair = Abi.address(v, 0);
      addresses.add(pair);
      calls.add(rpc.callRequest(null, pair, Abi.TOKEN0, at));
      calls.add(rpc.callRequest(null, pair, Abi.TOKEN1, at));
    }
    List<Response<?>> tokens = rpc.batch(calls);
    for (int i = 0; i < addresses.size(); i++) {
      String t0 = value(tokens.get(2 * i));
      String t1 = value(tokens.get(2 * i + 1));
      if (t0 == null || t1 == null || t0.length() < 66 || t1.length() < 66) {
        log.warn(
            "Source {}: {} does not answer token0()/token1(); skipped", sourceId, addresses.get(i));
        continue;
      }
      Found f =
          checked(
              wanted.get(i).factory(), addresses.get(i), Abi.address(t0, 0), Abi.address(t1, 0));
      if (f != null) {
        found.putIfAbsent(f.pair(), f);
      }
    }
    // Only now: after a failure above the same indexes are asked again.
    pairsSeen.putAll(seenNow);
  }

  private Found checked(
      SourceConfig.DiscoveryFactory factory, String pair, String token0, String token1) {
    String expected = Abi.pairFor(factory.address(), token0, token1, factory.initCodeHash());
    if (!expected.equals(pair)) {
      log.warn(
          "Source {}: factory {} created pair {} of {}/{} but CREATE2 with init_code_hash {} gives"
              + " {}; skipped (wrong factory or init_code_hash?)",
          sourceId,
          factory.address(),
          pair,
          token0,
          token1,
          factory.initCodeHash(),
          expected);
      return null;
    }
    return new Found(pair, factory, token0, token1);
  }

  private List<BigInteger[]> reserves(RpcClient rpc, List<Found> pairs, long head)
      throws IOException {
    List<Request<?, ? extends Response<?>>> calls = new ArrayList<>();
    for (Found f : pairs) {
      calls.add(rpc.callRequest(null, f.pair(), Abi.GET_RESERVES, RpcClient.at(head)));
    }
    List<Response<?>> answers = rpc.batch(calls);
    List<BigInteger[]> out = new ArrayList<>();
    for (Response<?> r : answers) {
      String v = value(r);
      out.add(
          v == null || v.length() < 2 + 128
              ? null
              : new BigInteger[] {Abi.uint(v, 0), Abi.uint(v, 1)});
    }
    return out;
  }

  private boolean liquid(RpcClient rpc, Found f, BigInteger[] reserves) throws IOException {
    return enough(rpc, f.token0(), reserves[0]) || enough(rpc, f.token1(), reserves[1]);
  }

  private boolean enough(RpcClient rpc, String token, BigInteger reserve) throws IOException {
    BigDecimal min = config.minLiquidity().get(token);
    if (min == null) {
      return false;
    }
    Integer d = decimals.get(token);
    if (d == null) {
      String v =
          value(
              rpc.callRequest(
                      null,
                      token,
                      Abi.DECIMALS,
                      org.web3j.protocol.core.DefaultBlockParameterName.LATEST)
                  .send());
      d = v == null || v.length() < 66 ? 18 : Math.min(77, Abi.uint(v, 0).intValue());
      decimals.put(token, d);
    }
    return new BigDecimal(reserve).compareTo(min.movePointRight(d)) >= 0;
  }

  private static String value(Response<?> r) {
    if (r.hasError() || !(r instanceof EthCall call) || call.isReverted()) {
      return null;
    }
    String v = call.getValue();
    return v == null || v.length() < 3 ? null : v;
  }
}
