package io.rehoboam.evm.internal;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
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

  /** The fee of a venue in basis points ({@code dex_fee_bps}, else {@code fee_bps}). */
  public int feeBps(String dex) {
    return dexFeeBps.getOrDefault(dex, defaultFeeBps);
  }

  private static boolean hasKeySetting(Settings s) {
    return s.has("private_key") || s.has("keystore_file");
  }

  private static Credentials credentials(Settings s, Map<String, String> env, boolean required) {
    if (s.has("keystore_file")) {
      Path file = Path.of(s.requireString("keystore_file"));
      String password =
          s.string("keystore_password")
              .orElseGet(
                  () -> env.get(s.string("keystore_password_env", "REHOBOAM_KEYSTORE_PASSWORD")));
      if (password == null) {
        throw bad(
            "keystore_password: is required with keystore_file (or set the variable named by"
                + " keystore_password_env)");
      }
      if (!Files.isReadable(file)) {
        throw bad("keystore_file: " + file + " cannot be read");
      }
      try {
        return WalletUtils.loadCredentials(password, file.toFile());
      } catch (CipherException e) {
        throw bad("keystore_file: cannot be decrypted with the given password");
      } catch (IOException | RuntimeException e) {
        throw bad("keystore_file: " + file + " is not a valid keystore");
      }
    }
    String key = s.string("private_key").orElse(null);
    String envName = s.string("private_key_env", DEFAULT_KEY_ENV);
    if (key == null) {
      key = env.get(envName);
    }
    if (key == null || key.isBlank()) {
      if (!required) {
        return null;
      }
      throw bad(
          "private_key_env: live is true but the environment variable "
              + envName
              + " is not set (or give keystore_file)");
    }
    String hex = Numeric.cleanHexPrefix(key.trim()).toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{64}")) {
      throw bad("private_key: expected 32 bytes of hex (the value is not shown)");
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
        + "]";
  }
}
