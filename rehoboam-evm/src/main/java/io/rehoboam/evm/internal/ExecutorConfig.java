package io.rehoboam.evm.internal;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.crypto.exception.CipherException;
import org.web3j.utils.Numeric;

/**
 * The settings of an {@code evm} executor, validated. The signing key never leaves this record's
 * {@link #credentials()}: it is not kept as text and {@link #toString()} does not show it.
 */
public final class ExecutorConfig {
  /** The environment variable read for the private key when no other key source is set. */
  public static final String DEFAULT_KEY_ENV = "REHOBOAM_PRIVATE_KEY";

  /** The environment variable read for the searcher identity key when no other source is set. */
  public static final String DEFAULT_SEARCHER_KEY_ENV = "REHOBOAM_SEARCHER_KEY";

  /** How a live transaction leaves: {@code submission}. */
  public enum Submission {
    /** {@code eth_sendBundle} to every relay of {@code relays} (the default when live). */
    BUNDLE,
    /** {@code eth_sendRawTransaction} to {@code private_rpc_url} (a protect-style RPC). */
    PRIVATE_RPC,
    /** {@code eth_sendRawTransaction} to the node: the public mempool. */
    PUBLIC;

    /** The setting's spelling. */
    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final BigInteger GWEI = BigInteger.TEN.pow(9);

  public final String httpUrl;
  public final Long chainId;
  public final boolean live;
  private final Credentials credentials;
  public final String contract;
  public final BigInteger minProfit;
  public final boolean precheck;
  public final boolean simulate;
  public final long gasLimit;
  public final double gasLimitMultiplier;
  public final long gasLimitHeadroom;
  public final BigInteger maxFeePerGas;
  public final BigInteger priorityFeePerGas;
  public final Duration receiptTimeout;
  public final Duration receiptPollInterval;
  public final Duration requestTimeout;
  public final int defaultFeeBps;
  public final Map<String, Integer> dexFeeBps;
  public final long deadlineBlocks;
  public final String nativeToken;
  public final Submission submission;
  public final List<String> relays;
  private final Credentials searcher;
  public final String privateRpcUrl;
  public final int bundleBlocks;
  public final boolean retryNotIncluded;
  public final int bundleRetries;
  public final int builderShareBps;

  private ExecutorConfig(Settings s, Map<String, String> env) {
    this.httpUrl = SourceConfig.urls(s, env)[0];
    this.chainId = s.has("chain_id") ? s.longValue("chain_id", 0) : null;
    this.live = s.bool("live", false);
    this.credentials = live || hasKeySetting(s) ? credentials(s, env, live) : null;
    String c = s.string("contract").orElse(null);
    this.contract = c == null ? null : SourceConfig.address(c, "contract");
    if (live && contract == null) {
      throw bad("contract: is required when live is true (deploy RehoboamExecutor first)");
    }
    this.minProfit = s.bigInteger("min_profit", BigInteger.ONE);
    if (minProfit.signum() <= 0) {
      throw bad("min_profit: must be at least 1 base unit");
    }
    this.precheck = s.bool("precheck", true);
    this.simulate = s.bool("simulate", true);
    this.gasLimit = s.longValue("gas_limit", 1_000_000);
    if (gasLimit < 21_000) {
      throw bad("gas_limit: must be at least 21000");
    }
    this.gasLimitMultiplier =
        s.decimal("gas_limit_multiplier", new java.math.BigDecimal("1.5")).doubleValue();
    if (gasLimitMultiplier < 1) {
      throw bad("gas_limit_multiplier: must be at least 1");
    }
    this.gasLimitHeadroom = s.longValue("gas_limit_headroom", 100_000);
    if (gasLimitHeadroom < 0) {
      throw bad("gas_limit_headroom: must not be negative");
    }
    this.maxFeePerGas = s.bigInteger("max_fee_per_gas", GWEI.multiply(BigInteger.valueOf(300)));
    this.priorityFeePerGas = s.bigInteger("priority_fee_per_gas", GWEI);
    if (maxFeePerGas.signum() < 0 || priorityFeePerGas.signum() < 0) {
      throw bad("max_fee_per_gas and priority_fee_per_gas: must not be negative");
    }
    if (priorityFeePerGas.compareTo(maxFeePerGas) > 0) {
      throw bad("priority_fee_per_gas: must not exceed max_fee_per_gas");
    }
    this.receiptTimeout = s.duration("receipt_timeout", Duration.ofMinutes(2));
    this.receiptPollInterval = s.duration("receipt_poll_interval", Duration.ofSeconds(1));
    this.requestTimeout = s.duration("request_timeout", Duration.ofSeconds(10));
    if (receiptTimeout.isZero() || receiptPollInterval.isZero() || requestTimeout.isZero()) {
      throw bad("receipt_timeout, receipt_poll_interval and request_timeout: must be positive");
    }
    this.defaultFeeBps = s.intValue("fee_bps", SourceConfig.DEFAULT_FEE_BPS);
    Map<String, Integer> fees = new LinkedHashMap<>();
    Settings feeSection = s.section("dex_fee_bps");
    for (String dex : feeSection.names()) {
      fees.put(dex, feeSection.intValue(dex, defaultFeeBps));
    }
    fees.put("", defaultFeeBps);
    for (Map.Entry<String, Integer> e : fees.entrySet()) {
      if (e.getValue() < 0 || e.getValue() >= 10_000) {
        throw bad("dex_fee_bps." + e.getKey() + ": must be 0..9999");
      }
    }
    this.dexFeeBps = Map.copyOf(fees);
    this.deadlineBlocks = s.longValue("deadline_blocks", 0);
    if (deadlineBlocks < 0) {
      throw bad("deadline_blocks: must not be negative (0 = no deadline)");
    }
    String nat = s.string("native_token").orElse(null);
    this.nativeToken = nat == null ? null : SourceConfig.address(nat, "native_token");
    this.submission = submission(s, live);
    this.relays = relays(s, submission);
    this.searcher =
        submission == Submission.BUNDLE && live ? searcherCredentials(s, env, credentials) : null;
    String privateRpc = s.string("private_rpc_url").map(String::trim).orElse(null);
    if (privateRpc != null && !isHttp(privateRpc)) {
      throw bad("private_rpc_url: must start with http:// or https://");
    }
    if (submission == Submission.PRIVATE_RPC && privateRpc == null) {
      throw bad("private_rpc_url: is required with submission: private_rpc");
    }
    this.privateRpcUrl = privateRpc;
    this.bundleBlocks = s.intValue("bundle_blocks", 3);
    if (bundleBlocks < 1 || bundleBlocks > 25) {
      throw bad("bundle_blocks: must be 1..25 (the blocks one submission of a bundle targets)");
    }
    String miss = s.string("on_not_included", "retry").trim().toLowerCase(Locale.ROOT);
    if (!miss.equals("retry") && !miss.equals("drop")) {
      throw bad("on_not_included: expected retry or drop, was '" + miss + "'");
    }
    this.retryNotIncluded = miss.equals("retry");
    this.bundleRetries = s.intValue("bundle_retries", 2);
    if (bundleRetries < 0) {
      throw bad("bundle_retries: must not be negative");
    }
    this.builderShareBps = s.intValue("builder_share_bps", 0);
    if (builderShareBps < 0 || builderShareBps > 9_999) {
      throw bad(
          "builder_share_bps: must be 0..9999 (the share of the net profit paid to the builder)");
    }
    if (builderShareBps > 0 && nativeToken == null) {
      throw bad(
          "native_token: is required with builder_share_bps (the builder is paid in the chain's"
              + " native token, unwrapped from this wrapped native start token)");
    }
  }

  private static Submission submission(Settings s, boolean live) {
    String text = s.string("submission").map(String::trim).orElse(null);
    if (text == null || text.isEmpty()) {
      // Live trading never defaults to the public mempool.
      return live ? Submission.BUNDLE : Submission.PUBLIC;
    }
    try {
      return Submission.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw bad("submission: expected bundle, private_rpc or public, was '" + text + "'");
    }
  }

  private static List<String> relays(Settings s, Submission submission) {
    List<String> urls = new ArrayList<>();
    List<String> given = s.stringList("relays");
    for (int i = 0; i < given.size(); i++) {
      String url = given.get(i).trim();
      if (!isHttp(url)) {
        throw bad("relays[" + i + "]: must start with http:// or https://");
      }
      urls.add(url);
    }
    if (submission == Submission.BUNDLE && urls.isEmpty()) {
      throw bad(
          "relays: submission is bundle (the default when live) and needs at least one relay URL"
              + " (or set submission: private_rpc with private_rpc_url, or submission: public)");
    }
    return List.copyOf(urls);
  }

  private static boolean isHttp(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://");
  }

  private static Credentials searcherCredentials(
      Settings s, Map<String, String> env, Credentials trading) {
    Credentials identity =
        loadKey(
            s,
            env,
            true,
            "searcher_key",
            DEFAULT_SEARCHER_KEY_ENV,
            "searcher_keystore_file",
            "searcher_keystore_password",
            "REHOBOAM_SEARCHER_KEYSTORE_PASSWORD",
            "submission is bundle (the default when live)");
    if (trading != null && identity.getAddress().equalsIgnoreCase(trading.getAddress())) {
      throw bad(
          "searcher_key_env: the searcher identity must be a key of its own, not the trading key"
              + " (it signs relay requests; it holds no funds)");
    }
    return identity;
  }

  /**
   * Reads and checks the settings.
   *
   * @param env the environment, for the private key ({@code private_key_env}), the keystore
   *     password ({@code keystore_password_env}) and {@code ALCHEMY_API_KEY}
   * @throws RehoboamException INVALID_CONFIG naming the setting (never showing a secret)
   */
  public static ExecutorConfig from(Settings s, Map<String, String> env) {
    return new ExecutorConfig(s, env);
  }

  /** The signing account; null in paper mode without a key. */
  public Credentials credentials() {
    return credentials;
  }

  /** The searcher identity that signs relay requests; null unless live with submission bundle. */
  public Credentials searcher() {
    return searcher;
  }

  /** The fee of a venue in basis points ({@code dex_fee_bps}, else {@code fee_bps}). */
  public int feeBps(String dex) {
    return dexFeeBps.getOrDefault(dex, defaultFeeBps);
  }

  private static boolean hasKeySetting(Settings s) {
    return s.has("private_key") || s.has("keystore_file");
  }

  private static Credentials credentials(Settings s, Map<String, String> env, boolean required) {
    return loadKey(
        s,
        env,
        required,
        "private_key",
        DEFAULT_KEY_ENV,
        "keystore_file",
        "keystore_password",
        "REHOBOAM_KEYSTORE_PASSWORD",
        "live is true");
  }

  /**
   * A key from {@code <keyName>}, the variable named by {@code <keyName>_env}, or an encrypted
   * keystore {@code <keystoreName>} with its password; null when none is given and not required.
   */
  private static Credentials loadKey(
      Settings s,
      Map<String, String> env,
      boolean required,
      String keyName,
      String defaultKeyEnv,
      String keystoreName,
      String passwordName,
      String defaultPasswordEnv,
      String why) {
    if (s.has(keystoreName)) {
      Path file = Path.of(s.requireString(keystoreName));
      String password =
          s.string(passwordName)
              .orElseGet(() -> env.get(s.string(passwordName + "_env", defaultPasswordEnv)));
      if (password == null) {
        throw bad(
            passwordName
                + ": is required with "
                + keystoreName
                + " (or set the variable named by "
                + passwordName
                + "_env)");
      }
      if (!Files.isReadable(file)) {
        throw bad(keystoreName + ": " + file + " cannot be read");
      }
      try {
        return WalletUtils.loadCredentials(password, file.toFile());
      } catch (CipherException e) {
        throw bad(keystoreName + ": cannot be decrypted with the given password");
      } catch (IOException | RuntimeException e) {
        throw bad(keystoreName + ": " + file + " is not a valid keystore");
      }
    }
    String key = s.string(keyName).orElse(null);
    String envName = s.string(keyName + "_env", defaultKeyEnv);
    if (key == null) {
      key = env.get(envName);
    }
    if (key == null || key.isBlank()) {
      if (!required) {
        return null;
      }
      throw bad(
          keyName
              + "_env: "
              + why
              + " but the environment variable "
              + envName
              + " is not set (or give "
              + keystoreName
              + ")");
    }
    String hex = Numeric.cleanHexPrefix(key.trim()).toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{64}")) {
      throw bad(keyName + ": expected 32 bytes of hex (the value is not shown)");
    }
    return Credentials.create(hex);
  }

  private static RehoboamException bad(String message) {
    return new RehoboamException(ErrorCode.INVALID_CONFIG, message);
  }

  @Override
  public String toString() {
    return "ExecutorConfig[live="
        + live
        + ", account="
        + (credentials == null ? "none" : credentials.getAddress())
        + ", contract="
        + contract
        + ", submission="
        + submission.text()
        + "]";
  }
}
