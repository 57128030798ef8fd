package io.rehoboam.evm;

import io.rehoboam.core.log.LogText;
import io.rehoboam.core.scan.AmmMath;
import io.rehoboam.evm.internal.Abi;
import io.rehoboam.evm.internal.ExecutorConfig;
import io.rehoboam.evm.internal.NonceManager;
import io.rehoboam.evm.internal.RelayClient;
import io.rehoboam.evm.internal.RpcClient;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.ProviderContext;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionRequest;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.InFlightExecution;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import io.rehoboam.spi.trade.Reconciler;
import io.rehoboam.spi.trade.SignedTransactions;
import io.rehoboam.spi.trade.TradeExecutor;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Executes cross-venue and cyclic opportunities on Uniswap-V2-style pools of an EVM chain (type
 * {@code evm}).
 *
 * <p>Paper mode (the default) re-reads the pools at the latest block and reports the execution as
 * {@code simulated} with the profit it would make there; nothing is signed. Live mode ({@code live:
 * true}, a key from the environment or a keystore, and the address of a deployed {@link
 * ExecutorContract}) does, per execution: re-read the reserves and the base fee at the latest block
 * and re-compute the exact profit ({@code precheck}; refused when the net profit fell below {@code
 * min_profit}), simulate the transaction with {@code eth_call} and estimate its gas ({@code
 * simulate}; refused with the revert reason), send one EIP-1559 transaction (fee capped by {@code
 * max_fee_per_gas}) that runs every leg atomically through the contract, which reverts unless the
 * account's start-token balance grows by at least the opportunity's gas cost plus {@code
 * min_profit}; wait for the receipt (bounded by {@code receipt_timeout}); report a revert with the
 * reason replayed by {@code eth_call}; and measure the realized profit from the account's
 * start-token balance before and after the transaction's block.
 *
 * <p>Submission ({@code submission}): {@code bundle} (the default when live) signs with the nonce
 * of the latest block and hands the transaction to a {@link BundleSubmission} (relays, searcher
 * identity, retries; one bundle of the account at a time); {@code private_rpc} sends it to {@code
 * private_rpc_url}; {@code public} to the node. With {@code builder_share_bps} the contract pays
 * the block's builder that share of the predicted net profit, and the expected profit is net of it.
 *
 * <p>Statuses: {@code rejected} when refused before sending (stale, simulation reverted, fee cap),
 * {@code failed} when the node rejected the send, was unreachable or no receipt came in time,
 * {@code reverted}, {@code confirmed}, {@code simulated} (paper or dry run).
 *
 * <p>Threading: {@link #execute} never blocks the caller; RPC runs on the engine's blocking
 * executor, receipt polling on its scheduler. Sends of the account are serialized by a {@link
 * NonceManager}; any number of executions may run at once.
 *
 * <p>Journal: as a {@link Reconciler}, it reports each signed transaction (nonce, hash) before
 * broadcasting it, and after a restart looks up the transactions the journal left in flight.
 */
public final class EvmTradeExecutor implements TradeExecutor, Reconciler {
  private static final Logger log = LoggerFactory.getLogger(EvmTradeExecutor.class);

  private record Hop(Leg leg, String pool, int feeBps) {}

  private record Fresh(long block, BigInteger baseFee, List<BigInteger[]> reservesInOut) {}

  private final String id;
  private final ExecutorConfig config;
  private final ProviderContext context;
  private final RpcClient rpc;
  private final RpcClient privateRpc;
  private final List<RelayClient> relays;
  private final Object bundleLock = new Object();
  private CompletableFuture<?> bundleTail = CompletableFuture.completedFuture(null);
  private final NonceManager nonces;
  private final Map<String, String> token0ByPool = new ConcurrentHashMap<>();
  private final String account;
  private volatile Long chainId;
  private volatile boolean closed;
  private volatile SignedTransactions signedTransactions;

  EvmTradeExecutor(String id, ExecutorConfig config, ProviderContext context) {
    this.id = id;
    this.config = config;
    this.context = context;
    this.rpc = new RpcClient(config.httpUrl, config.requestTimeout, 250);
    this.privateRpc =
        config.live && config.submission == ExecutorConfig.Submission.PRIVATE_RPC
            ? new RpcClient(config.privateRpcUrl, config.requestTimeout, 1)
            : null;
    List<RelayClient> relayClients = new ArrayList<>();
    if (config.live && config.submission == ExecutorConfig.Submission.BUNDLE) {
      for (String url : config.relays) {
        relayClients.add(new RelayClient(url, rpc.http(), config.searcher()));
      }
    }
    this.relays = List.copyOf(relayClients);
    this.account =
        config.credentials() == null ? null : config.credentials().getAddress().toLowerCase();
    this.nonces =
        new NonceManager(
            () -> {
              var r =
                  rpc.web3j()
                      .ethGetTransactionCount(account, DefaultBlockParameterName.PENDING)
                      .send();
              if (r.hasError()) {
                throw new IOException("eth_getTransactionCount: " + r.getError().getMessage());
              }
              return r.getTransactionCount();
            });
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public ExecutionMode mode() {
    return config.live ? ExecutionMode.LIVE : ExecutionMode.PAPER;
  }

  /** The trading account's address (lower-case), or empty in paper mode without a key. */
  public Optional<String> account() {
    return Optional.ofNullable(account);
  }

  @Override
  public CompletionStage<Execution> execute(ExecutionRequest request) {
    if (closed) {
      return CompletableFuture.failedFuture(
          new RehoboamException(ErrorCode.SHUTTING_DOWN, "executor " + id + " is closed"));
    }
    Instant started = context.clock().instant();
    CompletableFuture<Execution> result = new CompletableFuture<>();
    context
        .blockingExecutor()
        .execute(
            () -> {
              try {
                run(request, started)
                    .whenComplete(
                        (execution, failure) -> {
                          if (failure != null) {
                            result.complete(failed(request, started, reasonOf(failure), null));
                          } else {
                            result.complete(execution);
                          }
                        });
              } catch (RuntimeException e) {
                result.complete(failed(request, started, reasonOf(e), null));
              }
            });
    return result;
  }

  private static String reasonOf(Throwable t) {
    Throwable cause = io.rehoboam.spi.Failures.cause(t);
    if (cause instanceof IOException) {
      return "node unreachable: " + cause.getMessage();
    }
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }

  private CompletableFuture<Execution> run(ExecutionRequest request, Instant started) {
    Opportunity opportunity = request.opportunity();
    BigInteger amountIn = request.amountIn() != null ? request.amountIn() : opportunity.amountIn();
    List<Hop> hops;
    try {
      hops = plan(opportunity);
      checkChain(opportunity);
    } catch (RehoboamException e) {
      return CompletableFuture.completedFuture(rejected(request, started, e.getMessage()));
    } catch (IOException e) {
      return CompletableFuture.completedFuture(failed(request, started, reasonOf(e), null));
    }
    BigInteger expected = opportunity.netProfit();
    BigInteger payment = BigInteger.ZERO;
    if (config.builderShareBps > 0) {
      if (!opportunity.startToken().equals(config.nativeToken)) {
        return CompletableFuture.completedFuture(
            rejected(
                request,
                started,
                "builder_share_bps: the builder is paid in the native token, so the start token"
                    + " must be native_token "
                    + config.nativeToken
                    + ", not "
                    + opportunity.startToken()));
      }
      payment = builderPayment(expected);
      expected = expected.subtract(payment);
    }
    Fresh fresh = null;
    try {
      if (config.precheck) {
        fresh = readFresh(hops);
        BigInteger out = amountIn;
        for (int i = 0; i < hops.size(); i++) {
          BigInteger[] r = fresh.reservesInOut().get(i);
          out = AmmMath.amountOut(out, r[0], r[1], hops.get(i).feeBps());
        }
        expected = out.subtract(amountIn).subtract(opportunity.gasCost());
        payment = config.builderShareBps > 0 ? builderPayment(expected) : BigInteger.ZERO;
        expected = expected.subtract(payment);
        if (expected.compareTo(config.minProfit) < 0) {
          return CompletableFuture.completedFuture(
              rejected(
                  request,
                  started,
                  "stale: net profit at block "
                      + fresh.block()
                      + " is "
                      + expected
                      + ", below min_profit "
                      + config.minProfit
                      + " (the opportunity expected "
                      + opportunity.netProfit()
                      + ")",
                  expected));
        }
      }
    } catch (IOException e) {
      return CompletableFuture.completedFuture(failed(request, started, reasonOf(e), null));
    } catch (RehoboamException e) {
      return CompletableFuture.completedFuture(
          rejected(request, started, "re-check failed: " + e.getMessage()));
    }
    if (!config.live) {
      return CompletableFuture.completedFuture(simulated(request, started, expected));
    }
    return live(request, started, opportunity, amountIn, hops, fresh, expected, payment);
  }

  /** The builder's share ({@code builder_share_bps}) of a net profit, rounded down; 0 if none. */
  private BigInteger builderPayment(BigInteger netProfit) {
    if (netProfit.signum() <= 0) {
      return BigInteger.ZERO;
    }
    return netProfit
        .multiply(BigInteger.valueOf(config.builderShareBps))
        .divide(BigInteger.valueOf(10_000));
  }

  private CompletableFuture<Execution> live(
      ExecutionRequest request,
      Instant started,
      Opportunity opportunity,
      BigInteger amountIn,
      List<Hop> hops,
      Fresh fresh,
      BigInteger expected,
      BigInteger payment) {
    List<ExecutorContract.Hop> packed = new ArrayList<>();
    try {
      loadToken0s(hops);
    } catch (IOException e) {
      return CompletableFuture.completedFuture(failed(request, started, reasonOf(e), null));
    } catch (RehoboamException e) {
      return CompletableFuture.completedFuture(rejected(request, started, e.getMessage()));
    }
    for (Hop h : hops) {
      packed.add(
          new ExecutorContract.Hop(
              h.pool(), token0(h.pool()).equals(h.leg().tokenIn()), h.feeBps()));
    }
    long deadline =
        fresh != null && config.deadlineBlocks > 0 ? fresh.block() + config.deadlineBlocks : 0;
    String data =
        ExecutorContract.encodeExecute(
            opportunity.startToken(),
            amountIn,
            opportunity.gasCost().add(config.minProfit),
            deadline,
            payment,
            packed);
    BigInteger gasLimit = BigInteger.valueOf(config.gasLimit);
    BigInteger baseFee;
    try {
      if (config.simulate || request.dryRun()) {
        List<Response<?>> answers =
            rpc.batch(
                List.of(
                    rpc.callRequest(
                        account, config.contract, data, DefaultBlockParameterName.LATEST),
                    rpc.web3j()
                        .ethEstimateGas(
                            Transaction.createFunctionCallTransaction(
                                account, null, null, null, config.contract, data))));
        EthCall call = (EthCall) answers.get(0);
        if (call.hasError() || call.isReverted()) {
          return CompletableFuture.completedFuture(
              rejected(request, started, "simulation reverted: " + revertMessage(call), expected));
        }
        EthEstimateGas estimate = (EthEstimateGas) answers.get(1);
        if (estimate.hasError()) {
          return CompletableFuture.completedFuture(
              rejected(
                  request,
                  started,
                  "gas estimate failed: " + estimate.getError().getMessage(),
                  expected));
        }
        // The estimate is taken on the state of now; mined after other transactions of the same
        // block, the swap can touch storage in a costlier order (fresh slots, cold accesses).
        // Unused
        // gas is refunded, so the headroom costs nothing but block space.
        gasLimit =
            new BigDecimal(estimate.getAmountUsed())
                .multiply(BigDecimal.valueOf(config.gasLimitMultiplier))
                .toBigInteger()
                .add(BigInteger.valueOf(config.gasLimitHeadroom));
        if (request.dryRun()) {
          BigInteger profit = Abi.uint(call.getValue(), 0);
          return CompletableFuture.completedFuture(
              simulated(request, started, profit.subtract(opportunity.gasCost())));
        }
      }
      baseFee = fresh != null ? fresh.baseFee() : latestBaseFee();
    } catch (IOException e) {
      return CompletableFuture.completedFuture(failed(request, started, reasonOf(e), null));
    }
    BigInteger priority = config.priorityFeePerGas;
    if (baseFee.add(priority).compareTo(config.maxFeePerGas) > 0) {
      return CompletableFuture.completedFuture(
          rejected(
              request,
              started,
              "fee cap: base fee "
                  + baseFee
                  + " + priority fee "
                  + priority
                  + " wei exceeds max_fee_per_gas "
                  + config.maxFeePerGas,
              expected));
    }
    BigInteger maxFee = baseFee.shiftLeft(1).add(priority).min(config.maxFeePerGas);
    long chain = chainId;
    BigInteger limit = gasLimit;
    if (config.submission == ExecutorConfig.Submission.BUNDLE) {
      return bundle(request, started, opportunity, data, expected, chain, limit, priority, maxFee);
    }
    RpcClient sendTo = privateRpc != null ? privateRpc : rpc;
    NonceManager.Outcome<String> sent;
    try {
      sent =
          nonces.send(
              nonce -> {
                RawTransaction tx =
                    RawTransaction.createTransaction(
                        chain,
                        nonce,
                        limit,
                        config.contract,
                        BigInteger.ZERO,
                        data,
                        priority,
                        maxFee);
                String signed =
                    Numeric.toHexString(TransactionEncoder.signMessage(tx, config.credentials()));
                SignedTransactions journal = signedTransactions;
                if (journal != null) {
                  // Durable before it leaves: a crash after the send still knows what to look for.
                  journal.signed(request.executionId(), nonce, Hash.sha3(signed));
                }
                EthSendTransaction answer = sendTo.web3j().ethSendRawTransaction(signed).send();
                return answer.hasError()
                    ? NonceManager.Outcome.rejected(answer.getError().getMessage())
                    : NonceManager.Outcome.accepted(answer.getTransactionHash());
              });
    } catch (IOException e) {
      return CompletableFuture.completedFuture(
          failed(request, started, "send failed: " + reasonOf(e), null));
    }
    if (!sent.isAccepted()) {
      log.warn("Executor {}: the node rejected the transaction: {}", id, sent.rejection());
      return CompletableFuture.completedFuture(
          failed(request, started, "send rejected by the node: " + sent.rejection(), null));
    }
    String hash = sent.value();
    log.info("Executor {}: sent {} for opportunity {}", id, hash, LogText.escape(opportunity.id()));
    BigInteger expectedProfit = expected;
    return awaitReceipt(hash)
        .thenApply(
            receipt ->
                finish(request, started, opportunity, data, hash, receipt, expectedProfit, limit))
        .exceptionally(
            failure ->
                failed(
                    request,
                    started,
                    reasonOf(failure) + " (transaction " + hash + " may still be mined)",
                    hash));
  }

  /**
   * Bundle submission: one bundle of the account at a time (each waits for the one before to be
   * included or given up), the nonce read from the chain's latest block, the transaction signed and
   * journalled, then offered by a {@link BundleSubmission}.
   */
  private CompletableFuture<Execution> bundle(
      ExecutionRequest request,
      Instant started,
      Opportunity opportunity,
      String data,
      BigInteger expected,
      long chain,
      BigInteger limit,
      BigInteger priority,
      BigInteger maxFee) {
    return oneBundleAtATime(
        () -> {
          BigInteger nonce;
          try {
            var count =
                rpc.web3j()
                    .ethGetTransactionCount(account, DefaultBlockParameterName.LATEST)
                    .send();
            if (count.hasError()) {
              throw new IOException("eth_getTransactionCount: " + count.getError().getMessage());
            }
            nonce = count.getTransactionCount();
          } catch (IOException e) {
            return CompletableFuture.completedFuture(failed(request, started, reasonOf(e), null));
          }
          RawTransaction tx =
              RawTransaction.createTransaction(
                  chain, nonce, limit, config.contract, BigInteger.ZERO, data, priority, maxFee);
          String signed =
              Numeric.toHexString(TransactionEncoder.signMessage(tx, config.credentials()));
          String hash = Hash.sha3(signed);
          SignedTransactions journal = signedTransactions;
          if (journal != null) {
            journal.signed(request.executionId(), nonce, hash);
          }
          BundleSubmission submission =
              new BundleSubmission(
                  id, config, context, rpc, relays, account, signed, hash, nonce, () -> closed);
          return submission
              .start()
              .thenApply(
                  outcome -> {
                    if (outcome instanceof BundleSubmission.Included included) {
                      return finish(
                          request,
                          started,
                          opportunity,
                          data,
                          hash,
                          included.receipt(),
                          expected,
                          limit);
                    }
                    if (outcome instanceof BundleSubmission.Refused refused) {
                      return rejected(request, started, refused.reason(), expected);
                    }
                    String reason = ((BundleSubmission.NotIncluded) outcome).reason();
                    log.info(
                        "Executor {}: bundle {} for {} given up: {}",
                        id,
                        hash,
                        LogText.escape(opportunity.id()),
                        reason);
                    return failed(request, started, "bundle " + reason, hash, expected);
                  })
              .exceptionally(
                  failure ->
                      failed(request, started, "bundle: " + reasonOf(failure), hash, expected));
        });
  }

  /** Runs {@code step} on the blocking executor once every earlier bundle step has finished. */
  private CompletableFuture<Execution> oneBundleAtATime(
      java.util.function.Supplier<CompletableFuture<Execution>> step) {
    CompletableFuture<Execution> result = new CompletableFuture<>();
    CompletableFuture<?> before;
    synchronized (bundleLock) {
      before = bundleTail;
      bundleTail = result.handle((e, f) -> null);
    }
    before.whenComplete(
        (ignored, failure) -> {
          try {
            context
                .blockingExecutor()
                .execute(
                    () -> {
                      try {
                        step.get()
                            .whenComplete(
                                (execution, f) -> {
                                  if (f != null) {
                                    result.completeExceptionally(f);
                                  } else {
                                    result.complete(execution);
                                  }
                                });
                      } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                      }
                    });
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  private Execution finish(
      ExecutionRequest request,
      Instant started,
      Opportunity opportunity,
      String data,
      String hash,
      TransactionReceipt receipt,
      BigInteger expected,
      BigInteger gasLimit) {
    long block = receipt.getBlockNumber().longValueExact();
    BigInteger realized = realized(opportunity.startToken(), hash, receipt);
    Instant now = context.clock().instant();
    if (receipt.isStatusOK()) {
      return Execution.submitted(
              request.executionId(),
              request.opportunity().id(),
              ExecutionMode.LIVE,
              expected,
              started)
          .withTxHashes(List.of(hash))
          .withGasUsed(receipt.getGasUsed())
          .withRealized(realized, null)
          .withStatus(ExecutionStatus.CONFIRMED, null, now);
    }
    String reason;
    try {
      EthCall replay =
          rpc.callRequest(account, config.contract, data, RpcClient.at(block - 1)).send();
      if (replay.hasError() || replay.isReverted()) {
        reason = "reverted: " + revertMessage(replay);
      } else {
        // The same call succeeds with the node's call gas: it ran out of gas (a nested call's
        // out-of-gas leaves the 1/64 of EIP-150, so gas used can stay below the limit).
        reason =
            "reverted: out of gas (gas limit "
                + gasLimit
                + ", used "
                + receipt.getGasUsed()
                + "; the call succeeds when replayed with more gas)";
      }
    } catch (IOException e) {
      reason = "reverted (the reason could not be replayed: " + e.getMessage() + ")";
    }
    return Execution.submitted(
            request.executionId(),
            request.opportunity().id(),
            ExecutionMode.LIVE,
            expected,
            started)
        .withTxHashes(List.of(hash))
        .withGasUsed(receipt.getGasUsed())
        .withRealized(realized, null)
        .withStatus(ExecutionStatus.REVERTED, reason, now);
  }

  /**
   * The start-token balance change of the account across the transaction's block, less the gas paid
   * when the start token is the native one; null when the balances cannot be read.
   */
  private BigInteger realized(String startToken, String hash, TransactionReceipt receipt) {
    long block = receipt.getBlockNumber().longValueExact();
    BigInteger realized = null;
    try {
      List<Response<?>> balances =
          rpc.batch(
              List.of(
                  rpc.callRequest(
                      account, startToken, Abi.balanceOf(account), RpcClient.at(block - 1)),
                  rpc.callRequest(
                      account, startToken, Abi.balanceOf(account), RpcClient.at(block))));
      EthCall before = (EthCall) balances.get(0);
      EthCall after = (EthCall) balances.get(1);
      if (!before.hasError() && !after.hasError()) {
        realized = Abi.uint(after.getValue(), 0).subtract(Abi.uint(before.getValue(), 0));
        if (startToken.equals(config.nativeToken)) {
          realized = realized.subtract(receipt.getGasUsed().multiply(effectiveGasPrice(receipt)));
        }
      }
    } catch (IOException | RuntimeException e) {
      log.warn("Executor {}: could not read balances around {}: {}", id, hash, e.toString());
    }
    return realized;
  }

  private static BigInteger effectiveGasPrice(TransactionReceipt receipt) {
    String price = receipt.getEffectiveGasPrice();
    return price == null ? BigInteger.ZERO : Numeric.decodeQuantity(price);
  }

  private static String revertMessage(EthCall call) {
    if (call.hasError()) {
      String message = call.getError().getMessage();
      return message == null ? "no reason" : message;
    }
    String reason = call.getRevertReason();
    return reason == null ? "no reason" : reason;
  }

  // ------------------------------------------------------------------ reads

  private List<Hop> plan(Opportunity opportunity) {
    List<Hop> hops = new ArrayList<>();
    for (int i = 0; i < opportunity.legs().size(); i++) {
      Leg leg = opportunity.legs().get(i);
      String poolId = leg.poolId();
      String pool = poolId.substring(poolId.lastIndexOf(':') + 1).toLowerCase();
      if (!Abi.isAddress(pool)) {
        throw new RehoboamException(
            ErrorCode.INVALID_ARGUMENT,
            "legs[" + i + "].pool_id: '" + poolId + "' does not end in a pool address");
      }
      if (i > 0 && !opportunity.legs().get(i - 1).tokenOut().equals(leg.tokenIn())) {
        throw new RehoboamException(
            ErrorCode.INVALID_ARGUMENT, "legs[" + i + "].token_in: does not follow the leg before");
      }
      hops.add(new Hop(leg, pool, config.feeBps(leg.dex())));
    }
    return hops;
  }

  private void checkChain(Opportunity opportunity) throws IOException {
    if (chainId == null) {
      long node = rpc.chainId();
      if (config.chainId != null && config.chainId != node) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            "chain_id: configured " + config.chainId + " but the node reports " + node);
      }
      chainId = node;
    }
    for (Leg leg : opportunity.legs()) {
      if (leg.chainId() != chainId) {
        throw new RehoboamException(
            ErrorCode.INVALID_ARGUMENT,
            "legs.chain_id: "
                + leg.chainId()
                + " is not the chain of executor "
                + id
                + " ("
                + chainId
                + ")");
      }
    }
  }

  private String token0(String pool) {
    return token0ByPool.get(pool);
  }

  private void loadToken0s(List<Hop> hops) throws IOException {
    List<String> missing = new ArrayList<>();
    for (Hop h : hops) {
      if (!token0ByPool.containsKey(h.pool()) && !missing.contains(h.pool())) {
        missing.add(h.pool());
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    List<Request<?, ? extends Response<?>>> calls = new ArrayList<>();
    for (String pool : missing) {
      calls.add(rpc.callRequest(null, pool, Abi.TOKEN0, DefaultBlockParameterName.LATEST));
    }
    List<Response<?>> answers = rpc.batch(calls);
    for (int i = 0; i < missing.size(); i++) {
      token0ByPool.put(missing.get(i), Abi.address(callValue(answers.get(i), "token0()"), 0));
    }
  }

  /** Latest block, base fee, reserves (in, out) of each hop, and unknown token0s: one batch. */
  private Fresh readFresh(List<Hop> hops) throws IOException {
    List<Request<?, ? extends Response<?>>> calls = new ArrayList<>();
    calls.add(rpc.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false));
    List<String> missing = new ArrayList<>();
    for (Hop h : hops) {
      if (!token0ByPool.containsKey(h.pool()) && !missing.contains(h.pool())) {
        missing.add(h.pool());
      }
    }
    for (String pool : missing) {
      calls.add(rpc.callRequest(null, pool, Abi.TOKEN0, DefaultBlockParameterName.LATEST));
    }
    for (Hop h : hops) {
      calls.add(
          rpc.callRequest(null, h.pool(), Abi.GET_RESERVES, DefaultBlockParameterName.LATEST));
    }
    List<Response<?>> answers = rpc.batch(calls);
    EthBlock block = (EthBlock) answers.get(0);
    if (block.hasError() || block.getBlock() == null) {
      throw new IOException("eth_getBlockByNumber: no latest block");
    }
    for (int i = 0; i < missing.size(); i++) {
      token0ByPool.put(missing.get(i), Abi.address(callValue(answers.get(1 + i), "token0()"), 0));
    }
    List<BigInteger[]> reserves = new ArrayList<>();
    for (int i = 0; i < hops.size(); i++) {
      String value = callValue(answers.get(1 + missing.size() + i), "getReserves()");
      BigInteger r0 = Abi.uint(value, 0);
      BigInteger r1 = Abi.uint(value, 1);
      Hop h = hops.get(i);
      boolean inIs0 = token0ByPool.get(h.pool()).equals(h.leg().tokenIn());
      reserves.add(inIs0 ? new BigInteger[] {r0, r1} : new BigInteger[] {r1, r0});
    }
    BigInteger baseFee = block.getBlock().getBaseFeePerGas();
    return new Fresh(
        block.getBlock().getNumber().longValueExact(),
        baseFee == null ? BigInteger.ZERO : baseFee,
        reserves);
  }

  private static String callValue(Response<?> r, String what) throws IOException {
    if (r.hasError()) {
      throw new IOException(what + ": " + r.getError().getMessage());
    }
    String v = ((EthCall) r).getValue();
    if (v == null || v.length() < 66) {
      throw new RehoboamException(
          ErrorCode.INVALID_ARGUMENT, what + " returned nothing: not a pair");
    }
    return v;
  }

  private BigInteger latestBaseFee() throws IOException {
    EthBlock block =
        rpc.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send();
    if (block.hasError() || block.getBlock() == null) {
      throw new IOException("eth_getBlockByNumber: no latest block");
    }
    BigInteger fee = block.getBlock().getBaseFeePerGas();
    return fee == null ? BigInteger.ZERO : fee;
  }

  private CompletableFuture<TransactionReceipt> awaitReceipt(String hash) {
    CompletableFuture<TransactionReceipt> receipt = new CompletableFuture<>();
    long deadline = context.clock().millis() + config.receiptTimeout.toMillis();
    poll(hash, deadline, receipt);
    return receipt;
  }

  private void poll(String hash, long deadline, CompletableFuture<TransactionReceipt> receipt) {
    if (closed) {
      receipt.completeExceptionally(
          new RehoboamException(ErrorCode.SHUTTING_DOWN, "executor " + id + " closed"));
      return;
    }
    try {
      var answer = rpc.web3j().ethGetTransactionReceipt(hash).send();
      if (!answer.hasError() && answer.getTransactionReceipt().isPresent()) {
        receipt.complete(answer.getTransactionReceipt().get());
        return;
      }
    } catch (IOException e) {
      log.debug("Executor {}: receipt of {} not readable yet: {}", id, hash, e.toString());
    }
    if (context.clock().millis() >= deadline) {
      receipt.completeExceptionally(
          new RehoboamException(
              ErrorCode.TIMEOUT, "no receipt within receipt_timeout " + config.receiptTimeout));
      return;
    }
    try {
      context
          .scheduler()
          .schedule(
              () -> context.blockingExecutor().execute(() -> poll(hash, deadline, receipt)),
              config.receiptPollInterval.toNanos(),
              TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      receipt.completeExceptionally(e);
    }
  }

  // ------------------------------------------------------------------ results

  private Execution rejected(ExecutionRequest request, Instant started, String reason) {
    return rejected(request, started, reason, request.opportunity().netProfit());
  }

  private Execution rejected(
      ExecutionRequest request, Instant started, String reason, BigInteger expected) {
    log.info(
        "Executor {}: {} refused: {}",
        id,
        LogText.escape(request.opportunity().id()),
        LogText.escape(reason));
    return Execution.rejected(
        request.executionId(),
        request.opportunity().id(),
        mode(),
        expected,
        reason,
        started,
        context.clock().instant());
  }

  private Execution failed(
      ExecutionRequest request, Instant started, String reason, String txHash) {
    return failed(request, started, reason, txHash, request.opportunity().netProfit());
  }

  private Execution failed(
      ExecutionRequest request,
      Instant started,
      String reason,
      String txHash,
      BigInteger expected) {
    return Execution.failed(
            request.executionId(),
            request.opportunity().id(),
            mode(),
            expected,
            reason,
            started,
            context.clock().instant())
        .withTxHashes(txHash == null ? List.of() : List.of(txHash));
  }

  private Execution simulated(ExecutionRequest request, Instant started, BigInteger profit) {
    return Execution.simulated(
        request.executionId(),
        request.opportunity().id(),
        mode(),
        profit,
        profit,
        started,
        context.clock().instant());
  }

  // ------------------------------------------------------------------ journal

  @Override
  public void journalTo(SignedTransactions signed) {
    this.signedTransactions = signed;
  }

  /**
   * Settles an execution a previous run left in flight: no transaction signed, or one the node does
   * not know (dropped, or never broadcast): failed; mined: confirmed or reverted with the receipt's
   * gas and the realized profit; pending: polled every {@code receipt_poll_interval} until it is
   * mined or dropped, without the receipt timeout (the chain, not the clock, decides). The stage
   * fails with SHUTTING_DOWN if the executor closes first.
   */
  @Override
  public CompletionStage<Execution> reconcile(InFlightExecution execution) {
    CompletableFuture<Execution> result = new CompletableFuture<>();
    if (execution.txHash() == null) {
      result.complete(
          recovered(
              execution,
              ExecutionStatus.FAILED,
              "the service stopped before a transaction was signed: nothing was sent",
              null,
              null));
      return result;
    }
    // The first look-up on the caller's thread: the service starts taking new work only after it.
    lookUp(execution, result, new java.util.concurrent.atomic.AtomicLong(-1));
    return result;
  }

  /**
   * @param bundleWindowEnd for a bundle the node does not know: the last block a relay may still
   *     include it in, counted from the first look ({@code bundle_blocks} blocks on), -1 before
   */
  private void lookUp(
      InFlightExecution execution,
      CompletableFuture<Execution> result,
      java.util.concurrent.atomic.AtomicLong bundleWindowEnd) {
    if (closed) {
      result.completeExceptionally(
          new RehoboamException(ErrorCode.SHUTTING_DOWN, "executor " + id + " closed"));
      return;
    }
    String hash = execution.txHash();
    try {
      var answer = rpc.web3j().ethGetTransactionReceipt(hash).send();
      if (!answer.hasError() && answer.getTransactionReceipt().isPresent()) {
        TransactionReceipt receipt = answer.getTransactionReceipt().get();
        BigInteger realized = realized(execution.startToken(), hash, receipt);
        result.complete(
            receipt.isStatusOK()
                ? recovered(execution, ExecutionStatus.CONFIRMED, null, receipt, realized)
                : recovered(
                    execution,
                    ExecutionStatus.REVERTED,
                    "reverted (mined while the service was down)",
                    receipt,
                    realized));
        return;
      }
      var tx = rpc.web3j().ethGetTransactionByHash(hash).send();
      if (!tx.hasError()
          && tx.getTransaction().isEmpty()
          && config.submission == ExecutorConfig.Submission.BUNDLE) {
        // A bundle never enters the node's pool: until its blocks have passed a relay may still
        // include it, so it is given up only once the nonce is taken or bundle_blocks blocks
        // passed.
        String notIncluded = bundleNotIncluded(execution, bundleWindowEnd);
        if (notIncluded != null) {
          result.complete(recovered(execution, ExecutionStatus.FAILED, notIncluded, null, null));
          return;
        }
      } else if (!tx.hasError() && tx.getTransaction().isEmpty()) {
        result.complete(
            recovered(
                execution,
                ExecutionStatus.FAILED,
                "transaction " + hash + " was dropped: the node does not know it",
                null,
                null));
        return;
      }
    } catch (IOException e) {
      log.debug("Executor {}: cannot look up {} yet: {}", id, hash, e.toString());
    }
    try {
      context
          .scheduler()
          .schedule(
              () ->
                  context
                      .blockingExecutor()
                      .execute(() -> lookUp(execution, result, bundleWindowEnd)),
              config.receiptPollInterval.toNanos(),
              TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
  }

  /** Why a bundle left in flight can no longer land, or null while it still can. */
  private String bundleNotIncluded(
      InFlightExecution execution, java.util.concurrent.atomic.AtomicLong windowEnd)
      throws IOException {
    long head = rpc.blockNumber();
    if (execution.nonce() != null) {
      var count =
          rpc.web3j().ethGetTransactionCount(account, DefaultBlockParameterName.LATEST).send();
      if (!count.hasError() && count.getTransactionCount().compareTo(execution.nonce()) > 0) {
        return "bundle "
            + execution.txHash()
            + " was not included: nonce "
            + execution.nonce()
            + " was taken by another transaction";
      }
    }
    if (windowEnd.get() < 0) {
      windowEnd.set(head + config.bundleBlocks);
      return null;
    }
    if (head < windowEnd.get()) {
      return null;
    }
    // Mined between the receipt look-up and the head read: the next look-up finds the receipt.
    var receipt = rpc.web3j().ethGetTransactionReceipt(execution.txHash()).send();
    if (receipt.hasError() || receipt.getTransactionReceipt().isPresent()) {
      return null;
    }
    return "bundle "
        + execution.txHash()
        + " was not included by block "
        + windowEnd.get()
        + " (the service stopped while it was pending; nothing of it can land now)";
  }

  private Execution recovered(
      InFlightExecution execution,
      ExecutionStatus status,
      String reason,
      TransactionReceipt receipt,
      BigInteger realized) {
    Execution latest = execution.latest();
    return Execution.submitted(
            latest.id(),
            latest.opportunityId(),
            ExecutionMode.LIVE,
            latest.expectedProfit(),
            latest.startedAt())
        .withTxHashes(execution.txHash() == null ? List.of() : List.of(execution.txHash()))
        .withGasUsed(receipt == null ? null : receipt.getGasUsed())
        .withRealized(realized, null)
        .withStatus(status, reason, context.clock().instant());
  }

  /** Unused by the engine; for diagnostics: the nonce the next send would use, if known. */
  Optional<BigInteger> nextNonce() {
    return Optional.ofNullable(nonces.peek());
  }

  /** Stops receipt polling (pending executions fail) and releases the connection. */
  @Override
  public void close() {
    closed = true;
    rpc.close();
    if (privateRpc != null) {
      privateRpc.close();
    }
  }
}
