package io.rehoboam.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.evm.internal.ExecutorConfig;
import io.rehoboam.evm.internal.NonceManager;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.trade.ExecutionMode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;

class EvmTradeExecutorProviderTest {
  private static final String KEY =
      "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
  private static final String CONTRACT = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

  private static Map<String, Object> live() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("rpc_url", "http://127.0.0.1:8545");
    s.put("live", true);
    s.put("submission", "public");
    s.put("contract", CONTRACT);
    return s;
  }

  private static RehoboamException invalid(Map<String, Object> s, Map<String, String> env) {
    RehoboamException e =
        assertThrows(RehoboamException.class, () -> ExecutorConfig.from(Settings.of(s), env));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertFalse(e.getMessage().contains(KEY.substring(2, 20)), "a secret leaked: " + e);
    return e;
  }

  @Test
  void paperIsTheDefaultAndNeedsNoKey() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("rpc_url", "http://127.0.0.1:8545");
    try (TestContext ctx = new TestContext();
        EvmTradeExecutor executor =
            new EvmTradeExecutorProvider().create("x", Settings.of(s), ctx)) {
      assertEquals(ExecutionMode.PAPER, executor.mode());
      assertTrue(executor.account().isEmpty());
    }
  }

  @Test
  void liveTakesTheKeyFromTheEnvironmentAndNeverShowsIt() {
    ExecutorConfig c =
        ExecutorConfig.from(Settings.of(live()), Map.of("REHOBOAM_PRIVATE_KEY", KEY));
    String address = Credentials.create(KEY).getAddress();
    assertEquals(address, c.credentials().getAddress());
    assertFalse(c.toString().contains(KEY.substring(2)));
    Map<String, Object> named = live();
    named.put("private_key_env", "MY_KEY");
    assertEquals(
        address,
        ExecutorConfig.from(Settings.of(named), Map.of("MY_KEY", KEY)).credentials().getAddress());
    assertTrue(
        new EvmTradeExecutorProvider()
            .settingsSchema()
            .sensitiveNames()
            .containsAll(List.of("private_key", "keystore_password")));
  }

  @Test
  void liveWithoutAKeyOrContractIsAConfigErrorNamingTheSetting() {
    assertTrue(invalid(live(), Map.of()).getMessage().startsWith("private_key_env:"));
    Map<String, Object> s = live();
    s.remove("contract");
    assertTrue(
        invalid(s, Map.of("REHOBOAM_PRIVATE_KEY", KEY)).getMessage().startsWith("contract:"));
    s = live();
    s.put("private_key", KEY.substring(0, 40));
    assertTrue(invalid(s, Map.of()).getMessage().startsWith("private_key:"));
    s = live();
    s.put("priority_fee_per_gas", 10);
    s.put("max_fee_per_gas", 5);
    assertTrue(
        invalid(s, Map.of("REHOBOAM_PRIVATE_KEY", KEY))
            .getMessage()
            .startsWith("priority_fee_per_gas:"));
    s = live();
    s.put("min_profit", 0);
    assertTrue(
        invalid(s, Map.of("REHOBOAM_PRIVATE_KEY", KEY)).getMessage().startsWith("min_profit:"));
  }

  private static final String SEARCHER_KEY =
      "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
  private static final String RELAY = "https://relay.example.org";

  private static String message(Map<String, Object> s, Map<String, String> env) {
    RehoboamException e = invalid(s, env);
    assertFalse(e.getMessage().contains(SEARCHER_KEY.substring(2, 20)), "a secret leaked: " + e);
    return e.getMessage();
  }

  @Test
  void liveTradingNeverDefaultsToThePublicMempool() {
    Map<String, Object> s = live();
    s.remove("submission");
    Map<String, String> env =
        Map.of("REHOBOAM_PRIVATE_KEY", KEY, "REHOBOAM_SEARCHER_KEY", SEARCHER_KEY);
    assertTrue(message(s, env).startsWith("relays:"), "live without relays");
    s.put("relays", List.of(RELAY));
    ExecutorConfig c = ExecutorConfig.from(Settings.of(s), env);
    assertEquals(ExecutorConfig.Submission.BUNDLE, c.submission);
    assertEquals(List.of(RELAY), c.relays);
    assertEquals(Credentials.create(SEARCHER_KEY).getAddress(), c.searcher().getAddress());
    assertFalse(c.toString().contains(SEARCHER_KEY.substring(2)));
    assertTrue(c.toString().contains("submission=bundle"));
    // paper stays paper: no relays or searcher key needed
    Map<String, Object> paper = new LinkedHashMap<>();
    paper.put("rpc_url", "http://127.0.0.1:8545");
    assertEquals(
        ExecutorConfig.Submission.PUBLIC,
        ExecutorConfig.from(Settings.of(paper), Map.of()).submission);
  }

  @Test
  void badSubmissionSettingsAreConfigErrorsNamingTheSetting() {
    Map<String, String> env =
        Map.of("REHOBOAM_PRIVATE_KEY", KEY, "REHOBOAM_SEARCHER_KEY", SEARCHER_KEY);
    Map<String, Object> s = live();
    s.put("submission", "mempool");
    assertTrue(message(s, env).startsWith("submission:"));
    s = live();
    s.put("submission", "bundle");
    s.put("relays", List.of(RELAY));
    assertTrue(
        message(s, Map.of("REHOBOAM_PRIVATE_KEY", KEY)).startsWith("searcher_key_env:"),
        "no searcher identity");
    assertTrue(
        message(s, Map.of("REHOBOAM_PRIVATE_KEY", KEY, "REHOBOAM_SEARCHER_KEY", KEY))
            .startsWith("searcher_key_env: the searcher identity must be a key of its own"));
    s.put("relays", List.of(RELAY, "relay.example.org"));
    assertTrue(message(s, env).startsWith("relays[1]:"));
    s = live();
    s.put("submission", "private_rpc");
    assertTrue(message(s, env).startsWith("private_rpc_url:"));
    s.put("private_rpc_url", "ftp://x");
    assertTrue(message(s, env).startsWith("private_rpc_url:"));
    s = live();
    s.put("builder_share_bps", 5000);
    assertTrue(message(s, env).startsWith("native_token:"));
    s.put("builder_share_bps", 10_000);
    assertTrue(message(s, env).startsWith("builder_share_bps:"));
    s = live();
    s.put("on_not_included", "wait");
    assertTrue(message(s, env).startsWith("on_not_included:"));
    s = live();
    s.put("bundle_blocks", 0);
    assertTrue(message(s, env).startsWith("bundle_blocks:"));
    assertTrue(
        new EvmTradeExecutorProvider()
            .settingsSchema()
            .sensitiveNames()
            .containsAll(
                List.of(
                    "searcher_key", "searcher_keystore_password", "relays", "private_rpc_url")));
  }

  @Test
  void anEncryptedKeystoreUnlocksWithItsPasswordOnly(@TempDir Path dir) throws Exception {
    String file = WalletUtils.generateLightNewWalletFile("s3cret-pass", dir.toFile());
    Path keystore = dir.resolve(file);
    Map<String, Object> s = live();
    s.put("keystore_file", keystore.toString());
    ExecutorConfig c =
        ExecutorConfig.from(Settings.of(s), Map.of("REHOBOAM_KEYSTORE_PASSWORD", "s3cret-pass"));
    assertTrue(Keys.toChecksumAddress(c.credentials().getAddress()).startsWith("0x"));
    RehoboamException wrong = invalid(s, Map.of("REHOBOAM_KEYSTORE_PASSWORD", "nope-nope"));
    assertTrue(wrong.getMessage().startsWith("keystore_file:"));
    assertFalse(wrong.getMessage().contains("nope-nope"));
    assertTrue(invalid(s, Map.of()).getMessage().startsWith("keystore_password:"));
    Files.writeString(keystore, "{}");
    assertTrue(
        invalid(s, Map.of("REHOBOAM_KEYSTORE_PASSWORD", "s3cret-pass"))
            .getMessage()
            .startsWith("keystore_file:"));
  }

  @Test
  void aRejectedOrLostSendMakesTheNextSendAskTheNodeAgain() throws IOException {
    AtomicInteger chain = new AtomicInteger(7);
    AtomicInteger reads = new AtomicInteger();
    NonceManager nonces =
        new NonceManager(
            () -> {
              reads.incrementAndGet();
              return BigInteger.valueOf(chain.get());
            });
    List<BigInteger> used = new ArrayList<>();
    assertTrue(
        nonces
            .send(
                n -> {
                  used.add(n);
                  chain.incrementAndGet();
                  return NonceManager.Outcome.accepted("a");
                })
            .isAccepted());
    assertTrue(
        nonces
            .send(
                n -> {
                  used.add(n);
                  chain.incrementAndGet();
                  return NonceManager.Outcome.accepted("b");
                })
            .isAccepted());
    assertEquals(BigInteger.valueOf(9), nonces.peek());
    assertFalse(
        nonces
            .send(
                n -> {
                  used.add(n);
                  return NonceManager.Outcome.rejected("exceeds block gas limit");
                })
            .isAccepted());
    assertEquals(null, nonces.peek(), "a rejection forgets the local nonce");
    assertThrows(
        IOException.class,
        () ->
            nonces.send(
                n -> {
                  used.add(n);
                  throw new IOException("timeout");
                }));
    assertEquals(null, nonces.peek());
    assertTrue(
        nonces
            .send(
                n -> {
                  used.add(n);
                  chain.incrementAndGet();
                  return NonceManager.Outcome.accepted("c");
                })
            .isAccepted());
    assertEquals(List.of(7, 8, 9, 9, 9).stream().map(BigInteger::valueOf).toList(), used);
    assertEquals(3, reads.get());
    // someone else used the key: "nonce too low" re-reads and retries once
    chain.addAndGet(2);
    assertTrue(
        nonces
            .send(
                n ->
                    n.intValueExact() < chain.get()
                        ? NonceManager.Outcome.rejected("nonce too low")
                        : NonceManager.Outcome.accepted("d"))
            .isAccepted());
  }
}
