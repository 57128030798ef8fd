package io.rehoboam.bot.layer2.internal;

import io.rehoboam.bot.layer2.internal.Layer2Settings.ChainSettings;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.trade.ExecutionStatus;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthGasPrice;
import org.web3j.protocol.core.methods.response.EthGetTransactionCount;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * One EVM chain traded live: each leg is one signed transaction calling the dex's Uniswap-V2
 * Router02 {@code swapExactTokensForTokens(amountIn, amountOutMin, [tokenIn, tokenOut], account,
 * deadline)}, so a price that moved below the minimum reverts the transaction on chain. The amount
 * taken out is read from the receipt's ERC-20 {@code Transfer} logs of the output token to the
 * account; balances are the account's {@code balanceOf} of every mapped token.
 *
 * <p>The account must have approved each router for the tokens it sells. Sends of the account are
 * serialized with a local nonce that is re-read from the node ({@code pending}) after a send the
 * node refused. Receipts are polled on the context's scheduler, RPC runs on its blocking executor;
 * OkHttp's dispatcher threads come from a named factory and end on {@link #close()}.
 */
final class EvmVenue implements ChainVenue {
  private static final String TRANSFER_TOPIC =
      "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
  private static final BigInteger GAS_LIMIT = BigInteger.valueOf(400_000);
  private static final BigInteger NO_DEADLINE = BigInteger.ONE.shiftLeft(64);

  private final ChainSettings chain;
  private final BotContext ctx;
  private final Credentials credentials;
  private final String account;
  private final Set<String> tokens;
  private final ExecutorService dispatcherPool;
  private final OkHttpClient http;
  private final HttpService service;
  private final Map<String, BigInteger> balances = new ConcurrentHashMap<>();
  private BigInteger nextNonce;

  EvmVenue(ChainSettings chain, Set<String> tokens, BotContext ctx) {
    this.chain = chain;
    this.ctx = ctx;
    try {
      this.credentials = Credentials.create(chain.privateKey());
    } catch (RuntimeException e) {
      // The key itself must never reach a message.
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          "chains: chain " + chain.chainId() + ".private_key: not a valid key");
    }
    this.account = credentials.getAddress().toLowerCase(Locale.ROOT);
    this.tokens = Set.copyOf(tokens);
    this.dispatcherPool =
        Executors.newCachedThreadPool(new Web3jThreadFactory("layer2-http-" + chain.chainId()));
    this.http =
        new OkHttpClient.Builder()
            .dispatcher(new Dispatcher(dispatcherPool))
            .connectionPool(new ConnectionPool(2, 30, TimeUnit.SECONDS))
            .build();
    this.service = new HttpService(chain.rpcUrl(), http);
  }

  @Override
  public long chainId() {
    return chain.chainId();
  }

  @Override
  public boolean live() {
    return true;
  }

  String account() {
    return account;
  }

  @Override
  public CompletableFuture<LegFill> swap(
      String poolId,
      String dex,
      String tokenIn,
      String tokenOut,
      BigInteger amountIn,
      BigInteger minAmountOut) {
    CompletableFuture<LegFill> result = new CompletableFuture<>();
    String router = chain.routers().get(dex);
    if (router == null) {
      result.complete(
          LegFill.failed(
              chain.chainId(),
              "no router for dex "
                  + dex
                  + " on chain "
                  + chain.chainId()
                  + " (routers: "
                  + chain.routers().keySet()
                  + ")"));
      return result;
    }
    String data =
        FunctionEncoder.encode(
            new Function(
                "swapExactTokensForTokens",
                List.of(
                    new Uint256(amountIn),
                    new Uint256(minAmountOut),
                    new DynamicArray<>(Address.class, new Address(tokenIn), new Address(tokenOut)),
                    new Address(account),
                    new Uint256(NO_DEADLINE)),
                List.of()));
    Instant deadline = ctx.clock().instant().plus(chain.receiptTimeout());
    try {
      ctx.blockingExecutor()
          .execute(
              () -> {
                String hash;
                try {
                  hash = send(router, data);
                } catch (IOException | RuntimeException e) {
                  result.complete(
                      LegFill.failed(chain.chainId(), "send failed: " + e.getMessage()));
                  return;
                }
                poll(hash, router, data, tokenOut, amountIn, deadline, result);
              });
    } catch (RuntimeException e) {
      result.complete(LegFill.failed(chain.chainId(), "not sent: " + e));
    }
    return result;
  }

  private synchronized String send(String to, String data) throws IOException {
    if (nextNonce == null) {
      EthGetTransactionCount count =
          new Request<>(
                  "eth_getTransactionCount",
                  List.of(account, "pending"),
                  service,
                  EthGetTransactionCount.class)
              .send();
      if (count.hasError()) {
        throw new IOException("eth_getTransactionCount: " + count.getError().getMessage());
      }
      nextNonce = count.getTransactionCount();
    }
    EthGasPrice price = new Request<>("eth_gasPrice", List.of(), service, EthGasPrice.class).send();
    if (price.hasError()) {
      throw new IOException("eth_gasPrice: " + price.getError().getMessage());
    }
    RawTransaction tx =
        RawTransaction.createTransaction(
            nextNonce, price.getGasPrice(), GAS_LIMIT, to, BigInteger.ZERO, data);
    String signed =
        Numeric.toHexString(TransactionEncoder.signMessage(tx, chain.chainId(), credentials));
    EthSendTransaction sent =
        new Request<>("eth_sendRawTransaction", List.of(signed), service, EthSendTransaction.class)
            .send();
    if (sent.hasError()) {
      nextNonce = null;
      throw new IOException("the node refused the transaction: " + sent.getError().getMessage());
    }
    nextNonce = nextNonce.add(BigInteger.ONE);
    return sent.getTransactionHash();
  }

  private void poll(
      String hash,
      String router,
      String data,
      String tokenOut,
      BigInteger amountIn,
      Instant deadline,
      CompletableFuture<LegFill> result) {
    Optional<TransactionReceipt> receipt;
    try {
      EthGetTransactionReceipt answer =
          new Request<>(
                  "eth_getTransactionReceipt",
                  List.of(hash),
                  service,
                  EthGetTransactionReceipt.class)
              .send();
      receipt = answer.hasError() ? Optional.empty() : answer.getTransactionReceipt();
    } catch (IOException | RuntimeException e) {
      receipt = Optional.empty();
    }
    if (receipt.isPresent()) {
      result.complete(fill(receipt.get(), router, data, tokenOut, amountIn));
      return;
    }
    if (!ctx.clock().instant().isBefore(deadline)) {
      result.complete(
          new LegFill(
              chain.chainId(),
              ExecutionStatus.FAILED,
              BigInteger.ZERO,
              BigInteger.ZERO,
              hash,
              "no receipt for "
                  + hash
                  + " within "
                  + chain.receiptTimeout()
                  + " (it may still be mined)",
              null,
              -1));
      return;
    }
    try {
      ctx.scheduler()
          .schedule(
              () -> {
                try {
                  ctx.blockingExecutor()
                      .execute(
                          () -> poll(hash, router, data, tokenOut, amountIn, deadline, result));
                } catch (RuntimeException e) {
                  result.complete(LegFill.failed(chain.chainId(), "stopped waiting for " + hash));
                }
              },
              chain.pollInterval().toNanos(),
              TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      result.complete(LegFill.failed(chain.chainId(), "stopped waiting for " + hash));
    }
  }

  private LegFill fill(
      TransactionReceipt receipt,
      String router,
      String data,
      String tokenOut,
      BigInteger amountIn) {
    if (!receipt.isStatusOK()) {
      return new LegFill(
          chain.chainId(),
          ExecutionStatus.REVERTED,
          BigInteger.ZERO,
          BigInteger.ZERO,
          receipt.getTransactionHash(),
          "reverted: " + revertReason(router, data, receipt.getBlockNumber()),
          receipt.getGasUsed(),
          -1);
    }
    BigInteger out = BigInteger.ZERO;
    String accountTopic = "0x" + "0".repeat(24) + Numeric.cleanHexPrefix(account);
    for (Log log : receipt.getLogs()) {
      List<String> topics = log.getTopics();
      if (log.getAddress().equalsIgnoreCase(tokenOut)
          && topics.size() == 3
          && topics.get(0).equalsIgnoreCase(TRANSFER_TOPIC)
          && topics.get(2).equalsIgnoreCase(accountTopic)) {
        out = out.add(Numeric.toBigInt(log.getData()));
      }
    }
    return new LegFill(
        chain.chainId(),
        ExecutionStatus.CONFIRMED,
        amountIn,
        out,
        receipt.getTransactionHash(),
        null,
        receipt.getGasUsed(),
        receipt.getBlockNumber().longValueExact());
  }

  /** The revert reason replayed with eth_call on the state the transaction saw (its block). */
  private String revertReason(String router, String data, BigInteger block) {
    try {
      EthCall call =
          new Request<>(
                  "eth_call",
                  List.of(
                      Transaction.createEthCallTransaction(account, router, data),
                      Numeric.encodeQuantity(block)),
                  service,
                  EthCall.class)
              .send();
      if (call.isReverted() && call.getRevertReason() != null) {
        return call.getRevertReason();
      }
      return call.hasError() ? call.getError().getMessage() : "no reason";
    } catch (IOException | RuntimeException e) {
      return "no reason (" + e.getMessage() + ")";
    }
  }

  @Override
  public BigInteger balance(String token) {
    return balances.getOrDefault(token, BigInteger.ZERO);
  }

  /** Re-reads the account's balance of every mapped token at the latest block (blocking). */
  @Override
  public void refresh() {
    String data =
        FunctionEncoder.encode(new Function("balanceOf", List.of(new Address(account)), List.of()));
    for (String token : tokens) {
      try {
        EthCall call =
            new Request<>(
                    "eth_call",
                    List.of(Transaction.createEthCallTransaction(account, token, data), "latest"),
                    service,
                    EthCall.class)
                .send();
        if (!call.hasError() && call.getValue() != null && call.getValue().length() > 2) {
          balances.put(token, Numeric.toBigInt(call.getValue()));
        }
      } catch (IOException e) {
        throw new RehoboamException(
            ErrorCode.BOT_FAILURE,
            "chain " + chain.chainId() + ": reading balances failed: " + e.getMessage(),
            e);
      }
    }
  }

  @Override
  public void withdraw(String token, BigInteger amount) {
    throw new RehoboamException(
        ErrorCode.CONFLICT,
        "chain " + chain.chainId() + " trades live: bridge mode needs sim chains");
  }

  @Override
  public void deposit(String token, BigInteger amount) {
    withdraw(token, amount);
  }

  @Override
  public void close() {
    dispatcherPool.shutdownNow();
    http.connectionPool().evictAll();
  }
}
