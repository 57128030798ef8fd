package io.rehoboam.evm;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.evm.internal.Abi;
import io.rehoboam.evm.internal.Backoff;
import io.rehoboam.evm.internal.PoolDiscovery;
import io.rehoboam.evm.internal.RpcClient;
import io.rehoboam.evm.internal.RpcEndpoints;
import io.rehoboam.evm.internal.SerialExecutor;
import io.rehoboam.evm.internal.SourceConfig;
import io.rehoboam.evm.internal.WsSubscriber;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.ProviderContext;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Subscription;
import io.rehoboam.spi.market.BlockHistory;
import io.rehoboam.spi.market.GasPriceOracle;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.market.SourceHealth;
import io.rehoboam.spi.market.Token;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Uniswap-V2-style pools read from an EVM chain over JSON-RPC (type {@code evm}).
 *
 * <p>On the first subscription it checks the chain id, resolves factory pairs (getPair, checked
 * against the CREATE2 address from the factory's init-code hash), loads token0/token1 and each
 * token's decimals and symbol once, then reads every pool's reserves in JSON-RPC batches at one
 * block. After that it follows the chain: with a WebSocket URL, through {@code Sync} log and {@code
 * newHeads} subscriptions (a full batched read on every (re)connect, logs that arrive meanwhile are
 * held back and replayed after it); otherwise by polling {@code eth_blockNumber} and reading all
 * reserves at each new block. Only pools whose reserves changed are emitted, tagged with their
 * block.
 *
 * <p>When the node cannot be reached the source reports {@link SourceHealth} down with the reason
 * and retries with exponential backoff; once the node answers again it reads everything afresh and
 * carries on, emitting what changed meanwhile.
 *
 * <p>Pool ids are {@code <chainId>:<pool address>}. Threading: listeners are called on one delivery
 * task at a time (threads of the engine's blocking executor), in block order; reads run on the
 * blocking executor; timers on the engine's scheduler. {@link #close()} stops everything.
 */
public final class EvmMarketSource implements MarketSource, BlockHistory {
  private static final Logger log = LoggerFactory.getLogger(EvmMarketSource.class);

  /** Blocks asked for in one {@code eth_getLogs} when reading a range of blocks. */
  static final long LOG_BLOCKS_PER_REQUEST = 2_000;

  private static final String ZERO_ADDRESS = "0x" + "0".repeat(40);

  private record Tracked(Pool pool, long block, long logIndex) {}

  private record Holder(Consumer<PoolUpdate> listener, AtomicBoolean closed) {}

  private record Reserves(String address, BigInteger reserve0, BigInteger reserve1) {}

  private record LogEvent(String address, BigInteger r0, BigInteger r1, long block, long index) {}

  private final String id;
  private final SourceConfig config;
  private final ProviderContext context;
  private final RpcEndpoints endpoints;
  private volatile RpcClient rpc;
  private final PoolDiscovery discovery;
  private volatile FeeEstimate fees;
  private final AtomicBoolean estimating = new AtomicBoolean();
  private final AtomicBoolean discovering = new AtomicBoolean();
  // Pools discovered and not added yet (guarded by this).
  private final Map<String, SourceConfig.PoolSpec> discovered = new LinkedHashMap<>();
  private final SerialExecutor delivery;
  private final List<Holder> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean cycling = new AtomicBoolean();
  private final Backoff backoff;
  private volatile boolean closed;
  private volatile SourceHealth health = SourceHealth.down("not started: no subscriber yet");
  private volatile Map<String, Token> tokens = Map.of();
  private volatile long lastBlock = -1;
  private volatile long lastReadBlock = -1;
  private volatile ScheduledFuture<?> timer;

  // Loaded once by the reader (the cycle), then read-only.
  private volatile long chainId = -1;
  private volatile List<Pool> loadedPools;

  // Delivery-side state: only touched by tasks on `delivery`.
  private final Map<String, Tracked> tracked = new LinkedHashMap<>();
  private boolean synced;
  private final List<LogEvent> heldBack = new ArrayList<>();

  // WebSocket state.
  private volatile WsSubscriber ws;
  private volatile String logsSubscription;
  private final Object wsLock = new Object();

  EvmMarketSource(String id, SourceConfig config, ProviderContext context) {
    this.id = id;
    this.config = config;
    this.context = context;
    this.endpoints = new RpcEndpoints(id, config);
    this.rpc = endpoints.primary();
    this.discovery = config.discovery() == null ? null : new PoolDiscovery(id, config.discovery());
    this.delivery = new SerialExecutor(context.blockingExecutor());
    this.backoff = new Backoff(config.backoffInitial(), config.backoffMax());
  }

  @Override
  public String id() {
    return id;
  }

  /**
   * Whether blocks are followed over a WebSocket (else by polling over HTTP). Several endpoints are
   * always polled.
   */
  public boolean followsWebSocket() {
    return config.wsUrl() != null && endpoints.size() == 1;
  }

  /** Each endpoint's health, in configured order (scheme, host and port only). */
  public List<RpcEndpoints.Status> endpoints() {
    return endpoints.status();
  }

  /** The endpoint reads go to now (scheme, host and port only). */
  public String activeEndpoint() {
    return rpc.endpoint();
  }

  /**
   * The last EIP-1559 fee estimate (made on every new block when {@code fee_estimate} is on); empty
   * before the first one or when it is off.
   */
  public Optional<FeeEstimate> feeEstimate() {
    return Optional.ofNullable(fees);
  }

  /**
   * Offers {@link GasPriceOracle} (the last fee estimate's base + priority fee) when {@code
   * fee_estimate} is on.
   */
  @Override
  public <T> Optional<T> capability(Class<T> capability) {
    if (capability == GasPriceOracle.class && config.fees() != null) {
      GasPriceOracle oracle = () -> Optional.ofNullable(fees).map(FeeEstimate::gasPriceWei);
      return Optional.of(capability.cast(oracle));
    }
    return MarketSource.super.capability(capability);
  }

  /** The last block whose reserves were read or reported; -1 before the first read. */
  public long lastBlock() {
    return lastBlock;
  }

  /** The pools this source watches, as last read; empty before the first read. */
  public List<Pool> pools() {
    List<Pool> pools = loadedPools;
    return pools == null ? List.of() : pools;
  }

  @Override
  public Subscription subscribe(Consumer<PoolUpdate> listener) {
    if (closed) {
      throw new RehoboamException(ErrorCode.SHUTTING_DOWN, "market source " + id + " is closed");
    }
    Holder holder = new Holder(listener, new AtomicBoolean());
    delivery.execute(
        () -> {
          if (holder.closed().get()) {
            return;
          }
          for (Tracked t : tracked.values()) {
            listener.accept(PoolUpdate.added(t.pool(), t.block()));
          }
          listeners.add(holder);
        });
    if (started.compareAndSet(false, true)) {
      health = SourceHealth.down("connecting to " + rpc.endpoint());
      schedule(Duration.ZERO);
    }
    return () -> {
      holder.closed().set(true);
      listeners.remove(holder);
    };
  }

  @Override
  public Map<String, Token> tokens() {
    return tokens;
  }

  @Override
  public Optional<BigDecimal> quotePrice(String tokenAddress) {
    return tokenAddress == null
        ? Optional.empty()
        : Optional.ofNullable(config.quotePrices().get(tokenAddress.toLowerCase()));
  }

  @Override
  public SourceHealth health() {
    return health;
  }

  // ------------------------------------------------------------------ the read cycle

  private void schedule(Duration delay) {
    if (closed) {
      return;
    }
    try {
      timer =
          context
              .scheduler()
              .schedule(
                  () -> context.blockingExecutor().execute(this::cycle),
                  delay.toNanos(),
                  TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      // The engine is shutting down: nothing left to follow.
      log.debug("Source {} could not schedule its next read: {}", id, e.toString());
    }
  }

  /**
   * One step of the source's life: load what is not loaded yet, then either read the latest block
   * (polling) or make sure the WebSocket is up. Reschedules itself; a failure backs off.
   */
  private void cycle() {
    if (closed || !cycling.compareAndSet(false, true)) {
      return;
    }
    Duration next = config.pollInterval();
    try {
      Instant now = context.clock().instant();
      if (endpoints.checkDue(now)) {
        endpoints.check(now);
        switchTo(endpoints.active());
      }
      loadOnce();
      if (followsWebSocket()) {
        ensureWebSocket();
        next = null; // the socket's own callbacks schedule what comes next
      } else {
        refresh(false);
        backoff.reset();
      }
    } catch (IOException | RuntimeException e) {
      if (closed) {
        return;
      }
      String reason = describe(e);
      RpcClient failed = rpc;
      if (endpoints.size() > 1 && endpoints.hasOtherHealthy(failed)) {
        // Another endpoint is in line: read there at once; this one is checked again later.
        endpoints.failed(failed, context.clock().instant(), reason);
        switchTo(endpoints.active());
        next = Duration.ZERO;
      } else {
        endpoints.failed(failed, context.clock().instant(), reason);
        switchTo(endpoints.active());
        markDown(reason);
        next = backoff.next();
        log.warn("Source {}: {}; retrying in {} ms", id, reason, next.toMillis());
      }
    } finally {
      cycling.set(false);
    }
    if (next != null) {
      schedule(next);
    }
  }

  private void switchTo(RpcClient client) {
    if (client != rpc) {
      log.info("Source {}: reading from {} (was {})", id, client.endpoint(), rpc.endpoint());
      rpc = client;
    }
  }

  private String describe(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof IOException) {
      return "node " + rpc.endpoint() + " unreachable: " + message;
    }
    return message;
  }

  private void markDown(String reason) {
    health = SourceHealth.down(reason);
  }

  private void markUp() {
    health = SourceHealth.up(context.clock().instant());
  }

  /** Loads what {@link #load()} loads unless it was loaded (by the read cycle or a range read). */
  private synchronized void loadOnce() throws IOException {
    if (loadedPools == null) {
      load();
    }
  }

  /** Chain id, factory pairs, pool tokens, token metadata. */
  private void load() throws IOException {
    long nodeChain = rpc.chainId();
    if (config.chainId() != null && config.chainId() != nodeChain) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          "chain_id: configured "
              + config.chainId()
              + " but the node at "
              + rpc.endpoint()
              + " reports "
              + nodeChain);
    }
    Map<String, SourceConfig.PoolSpec> specs = new LinkedHashMap<>();
    for (SourceConfig.PoolSpec p : config.pools()) {
      specs.putIfAbsent(p.address(), p);
    }
    specs.putAll(resolveFactories(specs));
    if (discovery != null) {
      long head = rpc.blockNumber();
      for (PoolDiscovery.Found f : discovery.poll(rpc, head, context.clock().instant())) {
        discovered.put(
            f.pair(), new SourceConfig.PoolSpec(f.pair(), f.factory().dex(), f.factory().feeBps()));
      }
      discovered.forEach(specs::putIfAbsent);
    }
    chainId = nodeChain;
    tokens = Map.of();
    loadedPools = List.of();
    addPools(specs);
    discovered.clear();
    log.info(
        "Source {}: {} pools and {} tokens on chain {} at {}",
        id,
        loadedPools.size(),
        tokens.size(),
        nodeChain,
        rpc.endpoint());
  }

  /**
   * Adds the pools of {@code specs} that are not watched yet: their token0/token1, then decimals
   * and symbol of tokens not known yet (batched).
   */
  private void addPools(Map<String, SourceConfig.PoolSpec> given) throws IOException {
    long nodeChain = chainId;
    Map<String, SourceConfig.PoolSpec> specs = new LinkedHashMap<>(given);
    for (Pool p : loadedPools) {
      specs.remove(p.address());
    }
    if (specs.isEmpty()) {
      return;
    }
    List<String> addresses = new ArrayList<>(specs.keySet());
    List<Request<?, ? extends Response<?>>> calls = new ArrayList<>();
    for (String pool : addresses) {
      calls.add(call(pool, Abi.TOKEN0));
      calls.add(call(pool, Abi.TOKEN1));
    }
    List<Response<?>> answers = rpc.batch(calls);
    Map<String, String[]> pairTokens = new LinkedHashMap<>();
    Set<String> tokenAddresses = new LinkedHashSet<>();
    for (int i = 0; i < addresses.size(); i++) {
      String t0 = addressOf(answers.get(2 * i));
      String t1 = addressOf(answers.get(2 * i + 1));
      if (t0 == null || t1 == null || t0.equals(t1)) {
        log.warn(
            "Source {}: {} does not answer token0()/token1() like a pair; skipped",
            id,
            addresses.get(i));
        continue;
      }
      pairTokens.put(addresses.get(i), new String[] {t0, t1});
      tokenAddresses.add(t0);
      tokenAddresses.add(t1);
    }
    tokenAddresses.removeAll(tokens.keySet());
    List<String> tokenList = new ArrayList<>(tokenAddresses);
    calls.clear();
    for (String token : tokenList) {
      calls.add(call(token, Abi.DECIMALS));
      calls.add(call(token, Abi.SYMBOL));
    }
    answers = rpc.batch(calls);
    Map<String, Token> loadedTokens = new LinkedHashMap<>(tokens);
    for (int i = 0; i < tokenList.size(); i++) {
      String token = tokenList.get(i);
      int decimals = 18;
      String dec = valueOf(answers.get(2 * i));
      if (dec != null && dec.length() >= 66) {
        BigInteger d = Abi.uint(dec, 0);
        decimals = d.compareTo(BigInteger.valueOf(77)) <= 0 ? d.intValue() : 18;
      } else {
        log.warn("Source {}: token {} has no decimals(); assuming 18", id, token);
      }
      loadedTokens.put(
          token,
          new Token(nodeChain, token, Abi.symbol(valueOf(answers.get(2 * i + 1))), decimals));
    }
    List<Pool> pools = new ArrayList<>(loadedPools);
    for (Map.Entry<String, String[]> e : pairTokens.entrySet()) {
      SourceConfig.PoolSpec spec = specs.get(e.getKey());
      pools.add(
          new Pool(
              nodeChain + ":" + e.getKey(),
              nodeChain,
              spec.dex(),
              e.getKey(),
              e.getValue()[0],
              e.getValue()[1],
              BigInteger.ZERO,
              BigInteger.ZERO,
              spec.feeBps()));
    }
    tokens = Map.copyOf(loadedTokens);
    loadedPools = List.copyOf(pools);
  }

  /** Pools discovered since the last poll (when discovery is on) join the watched ones. */
  private synchronized void discoverNew(long head) throws IOException {
    if (discovery == null) {
      return;
    }
    for (PoolDiscovery.Found f : discovery.poll(rpc, head, context.clock().instant())) {
      discovered.put(
          f.pair(), new SourceConfig.PoolSpec(f.pair(), f.factory().dex(), f.factory().feeBps()));
    }
    int before = loadedPools.size();
    addPools(discovered);
    discovered.clear(); // kept until added: a failed read of their tokens is retried next time
    if (loadedPools.size() > before) {
      log.info("Source {}: {} new pools found at block {}", id, loadedPools.size() - before, head);
    }
  }

  /** A new EIP-1559 fee estimate, when {@code fee_estimate} is on; a failure keeps the last one. */
  private void estimateFees() {
    if (config.fees() == null || !estimating.compareAndSet(false, true)) {
      return;
    }
    try {
      fees = config.fees().estimate(rpc);
    } catch (IOException | RuntimeException e) {
      log.warn(
          "Source {}: no fee estimate from {}: {}{}",
          id,
          rpc.endpoint(),
          e.getMessage(),
          fees == null ? "" : " (keeping the one of block " + fees.newestBlock() + ")");
    } finally {
      estimating.set(false);
    }
  }

  private Map<String, SourceConfig.PoolSpec> resolveFactories(
      Map<String, SourceConfig.PoolSpec> known) throws IOException {
    record Want(SourceConfig.FactorySpec factory, String a, String b) {}
    List<Want> wants = new ArrayList<>();
    List<Request<?, ? extends Response<?>>> calls = new ArrayList<>();
    for (SourceConfig.FactorySpec f : config.factories()) {
      for (int i = 0; i < f.tokens().size(); i++) {
        for (int j = i + 1; j < f.tokens().size(); j++) {
          wants.add(new Want(f, f.tokens().get(i), f.tokens().get(j)));
          calls.add(call(f.address(), Abi.getPair(f.tokens().get(i), f.tokens().get(j))));
        }
      }
    }
    Map<String, SourceConfig.PoolSpec> out = new LinkedHashMap<>();
    List<Response<?>> answers = rpc.batch(calls);
    for (int i = 0; i < wants.size(); i++) {
      Want w = wants.get(i);
      String pair = addressOf(answers.get(i));
      if (pair == null) {
        log.warn(
            "Source {}: factory {} does not answer getPair(); skipped", id, w.factory().address());
        continue;
      }
      if (pair.equals(ZERO_ADDRESS)) {
        log.debug("Source {}: no pair of {} and {} on {}", id, w.a(), w.b(), w.factory().address());
        continue;
      }
      String expected =
          Abi.pairFor(w.factory().address(), w.a(), w.b(), w.factory().initCodeHash());
      if (!expected.equals(pair)) {
        log.warn(
            "Source {}: factory {} returns pair {} for {}/{} but CREATE2 with init_code_hash {}"
                + " gives {}; skipped (wrong factory or init_code_hash?)",
            id,
            w.factory().address(),
            pair,
            w.a(),
            w.b(),
            w.factory().initCodeHash(),
            expected);
        continue;
      }
      if (!known.containsKey(pair)) {
        out.put(pair, new SourceConfig.PoolSpec(pair, w.factory().dex(), w.factory().feeBps()));
      }
    }
    return out;
  }

  private Request<?, ? extends Response<?>> call(String to, String data) {
    return rpc.callRequest(null, to, data, DefaultBlockParameterName.LATEST);
  }

  private static String valueOf(Response<?> r) {
    if (r.hasError() || !(r instanceof EthCall call) || call.isReverted()) {
      return null;
    }
    String v = call.getValue();
    return v == null || v.length() < 3 ? null : v;
  }

  private static String addressOf(Response<?> r) {
    String v = valueOf(r);
    return v == null || v.length() < 66 ? null : Abi.address(v, 0);
  }

  /**
   * Reads the reserves of every pool at the latest block (when it is new, or always when {@code
   * force}) and hands the result to delivery.
   */
  private void refresh(boolean force) throws IOException {
    long block = rpc.blockNumber();
    if (!force && block == lastReadBlock) {
      markUp();
      return;
    }
    discoverNew(block);
    estimateFees();
    List<Pool> pools = loadedPools;
    List<Request<?, ? extends Response<?>>> calls = new ArrayList<>(pools.size());
    for (Pool p : pools) {
      calls.add(rpc.callRequest(null, p.address(), Abi.GET_RESERVES, RpcClient.at(block)));
    }
    List<Response<?>> answers = rpc.batch(calls);
    List<Reserves> reserves = new ArrayList<>(pools.size());
    int failed = 0;
    String firstError = null;
    for (int i = 0; i < pools.size(); i++) {
      String v = valueOf(answers.get(i));
      if (v == null || v.length() < 2 + 64 * 2) {
        failed++;
        if (firstError == null) {
          Response<?> r = answers.get(i);
          firstError = r.hasError() ? r.getError().getMessage() : "no reserves";
        }
        continue;
      }
      reserves.add(new Reserves(pools.get(i).address(), Abi.uint(v, 0), Abi.uint(v, 1)));
    }
    if (failed == pools.size() && failed > 0) {
      throw new IOException(
          "getReserves failed for every pool at block " + block + ": " + firstError);
    }
    if (failed > 0) {
      log.warn(
          "Source {}: getReserves failed for {} pools at block {}: {}",
          id,
          failed,
          block,
          firstError);
    }
    lastBlock = Math.max(lastBlock, block);
    lastReadBlock = block;
    delivery.execute(() -> applyRefresh(block, reserves));
  }

  // ------------------------------------------------------------------ delivery side

  private void applyRefresh(long block, List<Reserves> reserves) {
    if (closed) {
      return;
    }
    Map<String, Pool> byAddress = new LinkedHashMap<>();
    for (Pool p : loadedPools) {
      byAddress.put(p.address(), p);
    }
    for (Reserves r : reserves) {
      Tracked t = tracked.get(r.address());
      if (t == null) {
        Pool pool = byAddress.get(r.address()).withReserves(r.reserve0(), r.reserve1());
        tracked.put(r.address(), new Tracked(pool, block, Long.MAX_VALUE));
        deliver(PoolUpdate.added(pool, block));
      } else if (block > t.block() || (block == t.block() && t.logIndex() != Long.MAX_VALUE)) {
        update(t, r.reserve0(), r.reserve1(), block, Long.MAX_VALUE);
      }
    }
    synced = true;
    markUp();
    List<LogEvent> replay = new ArrayList<>(heldBack);
    heldBack.clear();
    for (LogEvent e : replay) {
      applyLog(e);
    }
  }

  private void applyLog(LogEvent e) {
    if (closed) {
      return;
    }
    if (!synced) {
      heldBack.add(e);
      return;
    }
    Tracked t = tracked.get(e.address());
    if (t == null) {
      return;
    }
    boolean newer = e.block() > t.block() || (e.block() == t.block() && e.index() > t.logIndex());
    if (t.logIndex() == Long.MAX_VALUE && e.block() == t.block()) {
      newer = false; // the full read at this block already includes every log of it
    }
    if (newer) {
      update(t, e.r0(), e.r1(), e.block(), e.index());
    }
    lastBlock = Math.max(lastBlock, e.block());
    markUp();
  }

  private void update(Tracked t, BigInteger r0, BigInteger r1, long block, long logIndex) {
    Pool pool = t.pool();
    boolean changed = !pool.reserve0().equals(r0) || !pool.reserve1().equals(r1);
    Pool now = changed ? pool.withReserves(r0, r1) : pool;
    tracked.put(pool.address(), new Tracked(now, block, logIndex));
    if (changed) {
      deliver(PoolUpdate.reserves(now, block));
    }
  }

  private void deliver(PoolUpdate update) {
    for (Holder h : listeners) {
      if (h.closed().get()) {
        continue;
      }
      try {
        h.listener().accept(update);
      } catch (RuntimeException e) {
        log.error("Source {}: a listener failed on {}", id, update.pool().id(), e);
      }
    }
  }

  // ------------------------------------------------------------------ WebSocket following

  private void ensureWebSocket() {
    synchronized (wsLock) {
      if (ws != null || closed) {
        return;
      }
      logsSubscription = null;
      ws =
          new WsSubscriber(
              rpc.http(),
              config.wsUrl(),
              Duration.ofSeconds(15),
              new WsSubscriber.Listener() {
                @Override
                public void onOpen(WsSubscriber socket) {
                  subscribeLogs(socket);
                  socket.subscribe("newHeads", List.of("newHeads"));
                }

                @Override
                public void onSubscribed(String name, String subscriptionId) {
                  if (name.equals("logs")) {
                    logsSubscription = subscriptionId;
                    // Logs now flow (held back until this read lands): read everything once.
                    delivery.execute(() -> synced = false);
                    context.blockingExecutor().execute(EvmMarketSource.this::resync);
                  }
                }

                @Override
                public void onNotification(String subscriptionId, JsonNode result) {
                  if (subscriptionId.equals(logsSubscription)) {
                    onSyncLog(result);
                  } else if (result.has("number")) {
                    long head = Long.decode(result.get("number").asText());
                    lastBlock = Math.max(lastBlock, head);
                    if (config.fees() != null) {
                      context.blockingExecutor().execute(EvmMarketSource.this::estimateFees);
                    }
                    if (discovery != null) {
                      context.blockingExecutor().execute(() -> discoverOnHead(head));
                    }
                  }
                }

                @Override
                public void onClosed(String reason) {
                  synchronized (wsLock) {
                    ws = null;
                  }
                  if (closed) {
                    return;
                  }
                  delivery.execute(() -> synced = false);
                  String why = "WebSocket " + RpcClient.describe(config.wsUrl()) + " " + reason;
                  markDown(why);
                  Duration wait = backoff.next();
                  log.warn("Source {}: {}; reconnecting in {} ms", id, why, wait.toMillis());
                  schedule(wait);
                }
              });
    }
  }

  /** Subscribes to the Sync logs of every watched pool (again, after pools were added). */
  private void subscribeLogs(WsSubscriber socket) {
    List<String> addresses = loadedPools.stream().map(Pool::address).toList();
    Map<String, Object> filter = new LinkedHashMap<>();
    filter.put("address", addresses);
    filter.put("topics", List.of(Abi.SYNC_TOPIC));
    socket.subscribe("logs", List.of("logs", filter));
  }

  /**
   * WebSocket mode: looks for pools created up to {@code head}; new ones get a logs subscription
   * covering them (its confirmation reads everything once, as on connect).
   */
  private void discoverOnHead(long head) {
    if (closed || !discovering.compareAndSet(false, true)) {
      return;
    }
    try {
      int before = loadedPools.size();
      synchronized (this) {
        discoverNew(head);
      }
      WsSubscriber socket = ws;
      if (loadedPools.size() > before && socket != null) {
        subscribeLogs(socket);
      }
    } catch (IOException | RuntimeException e) {
      log.warn("Source {}: discovery at block {} failed: {}", id, head, describe(e));
    } finally {
      discovering.set(false);
    }
  }

  private void resync() {
    try {
      refresh(true);
      backoff.reset();
    } catch (IOException | RuntimeException e) {
      if (closed) {
        return;
      }
      markDown(describe(e));
      WsSubscriber socket = ws;
      if (socket != null) {
        socket.close(); // onClosed reconnects with backoff
      }
    }
  }

  private void onSyncLog(JsonNode logNode) {
    if (logNode.path("removed").asBoolean(false)) {
      // A reorg took this log back: the chain's current state is read afresh.
      delivery.execute(() -> synced = false);
      context.blockingExecutor().execute(this::resync);
      return;
    }
    String data = logNode.path("data").asText();
    String address = logNode.path("address").asText().toLowerCase();
    if (data.length() < 2 + 128 || !logNode.has("blockNumber")) {
      return;
    }
    LogEvent e =
        new LogEvent(
            address,
            Abi.uint(data, 0),
            Abi.uint(data, 1),
            Long.decode(logNode.get("blockNumber").asText()),
            Long.decode(logNode.path("logIndex").asText("0x0")));
    delivery.execute(() -> applyLog(e));
  }

  // ------------------------------------------------------------------ a past range of blocks

  /**
   * Reads blocks {@code fromBlock..toBlock} of the node: the watched pools (loaded as for
   * following) with their reserves at {@code fromBlock}, then every {@code Sync} log of them in the
   * range by {@code eth_getLogs} ({@value #LOG_BLOCKS_PER_REQUEST} blocks a request), in block and
   * log order; a log that does not change a pool's reserves gives no update, as when following.
   * Block times come from {@code eth_getBlockByNumber}. Works without a subscriber.
   */
  @Override
  public void readBlocks(long fromBlock, long toBlock, BlockHistory.Listener listener) {
    Checks.notNull(listener, "listener");
    if (fromBlock < 0) {
      throw RehoboamException.invalid("from_block", "must be 0 or more, was " + fromBlock);
    }
    if (toBlock < fromBlock) {
      throw RehoboamException.invalid(
          "to_block", "must be at least from_block (" + fromBlock + "), was " + toBlock);
    }
    try {
      long head = rpc.blockNumber();
      if (toBlock > head) {
        throw RehoboamException.invalid(
            "to_block", "block " + toBlock + " is beyond the node's latest block " + head);
      }
      loadOnce();
      List<Pool> pools = loadedPools;
      List<Request<?, ? extends Response<?>>> calls = new ArrayList<>(pools.size());
      for (Pool p : pools) {
        calls.add(rpc.callRequest(null, p.address(), Abi.GET_RESERVES, RpcClient.at(fromBlock)));
      }
      List<Response<?>> answers = rpc.batch(calls);
      Map<String, Pool> current = new LinkedHashMap<>();
      for (int i = 0; i < pools.size(); i++) {
        String v = valueOf(answers.get(i));
        if (v == null || v.length() < 2 + 64 * 2) {
          log.warn(
              "Source {}: no reserves of {} at block {}; left out of the range",
              id,
              pools.get(i).address(),
              fromBlock);
          continue;
        }
        Pool p = pools.get(i);
        current.put(p.address(), p.withReserves(Abi.uint(v, 0), Abi.uint(v, 1)));
      }
      listener.tokens(tokens);
      Instant start = blockTimes(List.of(fromBlock)).get(fromBlock);
      for (Pool p : current.values()) {
        listener.update(PoolUpdate.added(p, fromBlock), start);
      }
      List<String> addresses = new ArrayList<>(current.keySet());
      for (long from = fromBlock + 1; from <= toBlock; from += LOG_BLOCKS_PER_REQUEST) {
        long to = Math.min(toBlock, from + LOG_BLOCKS_PER_REQUEST - 1);
        List<LogEvent> events = syncLogs(addresses, from, to);
        Map<Long, Instant> times =
            blockTimes(events.stream().map(LogEvent::block).distinct().toList());
        for (LogEvent e : events) {
          Pool pool = current.get(e.address());
          if (pool == null || (pool.reserve0().equals(e.r0()) && pool.reserve1().equals(e.r1()))) {
            continue;
          }
          Pool now = pool.withReserves(e.r0(), e.r1());
          current.put(e.address(), now);
          listener.update(PoolUpdate.reserves(now, e.block()), times.get(e.block()));
        }
      }
    } catch (IOException e) {
      throw new RehoboamException(
          ErrorCode.INTERNAL,
          "source " + id + ": reading blocks " + fromBlock + ".." + toBlock + ": " + describe(e),
          e);
    }
  }

  /** The Sync logs of the pools in blocks {@code from..to}, in block and log order. */
  private List<LogEvent> syncLogs(List<String> addresses, long from, long to) throws IOException {
    EthFilter filter = new EthFilter(RpcClient.at(from), RpcClient.at(to), addresses);
    filter.addSingleTopic(Abi.SYNC_TOPIC);
    EthLog answer = rpc.web3j().ethGetLogs(filter).send();
    if (answer.hasError()) {
      throw new IOException(
          "eth_getLogs of blocks " + from + ".." + to + ": " + answer.getError().getMessage());
    }
    List<LogEvent> events = new ArrayList<>();
    for (EthLog.LogResult<?> result : answer.getLogs()) {
      if (!(result.get() instanceof Log entry) || entry.isRemoved()) {
        continue;
      }
      String data = entry.getData();
      if (data == null || data.length() < 2 + 128) {
        continue;
      }
      events.add(
          new LogEvent(
              entry.getAddress().toLowerCase(),
              Abi.uint(data, 0),
              Abi.uint(data, 1),
              entry.getBlockNumber().longValueExact(),
              entry.getLogIndex().longValueExact()));
    }
    events.sort(
        java.util.Comparator.comparingLong(LogEvent::block).thenComparingLong(LogEvent::index));
    return events;
  }

  /** The timestamps of the blocks, by number (one batch). */
  private Map<Long, Instant> blockTimes(List<Long> blocks) throws IOException {
    List<Request<?, ? extends Response<?>>> calls = new ArrayList<>(blocks.size());
    for (long b : blocks) {
      calls.add(rpc.web3j().ethGetBlockByNumber(RpcClient.at(b), false));
    }
    List<Response<?>> answers = rpc.batch(calls);
    Map<Long, Instant> out = new LinkedHashMap<>();
    for (int i = 0; i < blocks.size(); i++) {
      Response<?> r = answers.get(i);
      if (r.hasError() || !(r instanceof EthBlock block) || block.getBlock() == null) {
        throw new IOException(
            "eth_getBlockByNumber "
                + blocks.get(i)
                + ": "
                + (r.hasError() ? r.getError().getMessage() : "no such block"));
      }
      out.put(
          blocks.get(i), Instant.ofEpochSecond(block.getBlock().getTimestamp().longValueExact()));
    }
    return out;
  }

  // ------------------------------------------------------------------ close

  /** Number of HTTP requests this source made (a JSON-RPC batch counts once). */
  long httpRequests() {
    return rpc.httpRequests();
  }

  /** Reads once now, on the calling thread (tests and measurements). */
  void refreshNow() throws IOException {
    loadOnce();
    refresh(true);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    ScheduledFuture<?> t = timer;
    if (t != null) {
      t.cancel(false);
    }
    WsSubscriber socket;
    synchronized (wsLock) {
      socket = ws;
      ws = null;
    }
    if (socket != null) {
      socket.close();
    }
    endpoints.close();
    listeners.clear();
    health = SourceHealth.down("closed");
    log.debug("Source {} closed at block {}", id, lastBlock);
  }

  long chainId() {
    return chainId;
  }
}
