package io.rehoboam.evm;

import io.rehoboam.evm.internal.ExecutorConfig;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ProviderContext;
import io.rehoboam.spi.SettingSpec;
import io.rehoboam.spi.SettingType;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.SettingsSchema;
import io.rehoboam.spi.Spi;
import io.rehoboam.spi.trade.TradeExecutorProvider;

/**
 * Builds {@link EvmTradeExecutor}s: type {@code evm}. Found by ServiceLoader. Secrets ({@code
 * REHOBOAM_PRIVATE_KEY} or the variable named by {@code private_key_env}, the keystore password,
 * {@code ALCHEMY_API_KEY}) are read from the service's environment ({@link ProviderContext#env()}).
 *
 * <p>Sensitive settings (masked by the engine, never logged): {@code private_key}, {@code
 * keystore_password}, {@code rpc_url}, {@code searcher_key}, {@code searcher_keystore_password},
 * {@code relays}, {@code private_rpc_url}.
 */
public final class EvmTradeExecutorProvider implements TradeExecutorProvider {
  /** The type id. */
  public static final String TYPE = "evm";

  /** The settings of an evm executor: the one list of them (the module README explains each). */
  public static final SettingsSchema SCHEMA =
      SettingsSchema.of(
              SettingSpec.of(
                      "live",
                      SettingType.BOOLEAN,
                      "false: paper mode re-reads the pools and reports simulated; nothing is signed")
                  .defaultValue(false),
              SettingSpec.of(
                      "private_key_env",
                      SettingType.STRING,
                      "The environment variable holding the key (live mode)")
                  .defaultValue("REHOBOAM_PRIVATE_KEY"),
              SettingSpec.of(
                      "private_key", SettingType.STRING, "The key itself (prefer the environment)")
                  .secret(),
              SettingSpec.of(
                  "keystore_file",
                  SettingType.STRING,
                  "An encrypted web3 keystore instead of a key"),
              SettingSpec.of("keystore_password", SettingType.STRING, "The keystore's password")
                  .secret(),
              SettingSpec.of(
                      "keystore_password_env",
                      SettingType.STRING,
                      "The environment variable holding the keystore's password")
                  .defaultValue("REHOBOAM_KEYSTORE_PASSWORD"),
              SettingSpec.of(
                  "contract",
                  SettingType.STRING,
                  "The deployed RehoboamExecutor; required when live"),
              SettingSpec.of(
                      "min_profit",
                      SettingType.INTEGER,
                      "Least net profit in start-token base units")
                  .defaultValue(1)
                  .unit("base units"),
              SettingSpec.of(
                      "precheck",
                      SettingType.BOOLEAN,
                      "Re-read reserves and base fee at the latest block and refuse below"
                          + " min_profit")
                  .defaultValue(true),
              SettingSpec.of(
                      "simulate",
                      SettingType.BOOLEAN,
                      "eth_call + eth_estimateGas before sending; a revert is refused with its"
                          + " reason")
                  .defaultValue(true),
              SettingSpec.of("gas_limit", SettingType.INTEGER, "Gas limit without simulation")
                  .defaultValue(1_000_000)
                  .unit("gas")
                  .min(1)
                  .max(Long.MAX_VALUE),
              SettingSpec.of(
                      "gas_limit_multiplier",
                      SettingType.DECIMAL,
                      "With simulation: the estimate times this, plus the headroom")
                  .defaultValue("1.5"),
              SettingSpec.of(
                      "gas_limit_headroom",
                      SettingType.INTEGER,
                      "With simulation: gas added to the multiplied estimate")
                  .defaultValue(100_000)
                  .unit("gas")
                  .min(0)
                  .max(Long.MAX_VALUE),
              SettingSpec.of(
                      "max_fee_per_gas", SettingType.INTEGER, "EIP-1559 cap on the fee per gas")
                  .defaultValue("300000000000")
                  .unit("wei"),
              SettingSpec.of(
                      "priority_fee_per_gas", SettingType.INTEGER, "EIP-1559 priority fee per gas")
                  .defaultValue("1000000000")
                  .unit("wei"),
              SettingSpec.of(
                      "receipt_timeout", SettingType.DURATION, "Bounded wait for the receipt")
                  .defaultValue("2m"),
              SettingSpec.of(
                      "receipt_poll_interval",
                      SettingType.DURATION,
                      "How often the receipt is asked for")
                  .defaultValue("1s"),
              SettingSpec.of("request_timeout", SettingType.DURATION, "One HTTP exchange")
                  .defaultValue("10s"),
              SettingSpec.of(
                      "deadline_blocks",
                      SettingType.INTEGER,
                      "The contract reverts if mined more than this many blocks after the"
                          + " pre-check's block; 0 = none")
                  .defaultValue(0)
                  .unit("blocks")
                  .min(0)
                  .max(Long.MAX_VALUE),
              SettingSpec.of("fee_bps", SettingType.INTEGER, "Default pool fee")
                  .defaultValue(30)
                  .unit("bps")
                  .min(0)
                  .max(10_000),
              SettingSpec.of("dex_fee_bps", SettingType.SECTION, "Pool fees by venue").unit("bps"),
              SettingSpec.of(
                  "native_token",
                  SettingType.STRING,
                  "When the start token is this (wrapped native) token, gas paid is subtracted"
                      + " from the realized profit"),
              SettingSpec.of(
                      "submission",
                      SettingType.STRING,
                      "How a live transaction leaves: bundle (eth_sendBundle to relays), private_rpc"
                          + " (eth_sendRawTransaction to private_rpc_url) or public (the node's"
                          + " mempool); bundle when live and not given")
                  .allowed("bundle", "private_rpc", "public"),
              SettingSpec.of(
                      "relays",
                      SettingType.LIST,
                      "Bundle relay/builder URLs; every bundle goes to each of them")
                  .secret(),
              SettingSpec.of(
                      "searcher_key_env",
                      SettingType.STRING,
                      "The environment variable holding the searcher identity key that signs"
                          + " relay requests (not the trading key)")
                  .defaultValue("REHOBOAM_SEARCHER_KEY"),
              SettingSpec.of("searcher_key", SettingType.STRING, "The searcher identity key itself")
                  .secret(),
              SettingSpec.of(
                  "searcher_keystore_file",
                  SettingType.STRING,
                  "An encrypted web3 keystore for the searcher identity"),
              SettingSpec.of(
                      "searcher_keystore_password",
                      SettingType.STRING,
                      "The searcher keystore's password")
                  .secret(),
              SettingSpec.of(
                      "searcher_keystore_password_env",
                      SettingType.STRING,
                      "The environment variable holding the searcher keystore's password")
                  .defaultValue("REHOBOAM_SEARCHER_KEYSTORE_PASSWORD"),
              SettingSpec.of(
                      "private_rpc_url",
                      SettingType.STRING,
                      "The protect-style RPC that submission private_rpc sends to")
                  .secret(),
              SettingSpec.of(
                      "bundle_blocks",
                      SettingType.INTEGER,
                      "The blocks one submission of a bundle targets (the next N)")
                  .defaultValue(3)
                  .unit("blocks")
                  .min(1)
                  .max(25),
              SettingSpec.of(
                      "on_not_included",
                      SettingType.STRING,
                      "A bundle not included in its blocks: retry (the same signed transaction,"
                          + " re-simulated, for the next blocks) or drop")
                  .defaultValue("retry")
                  .allowed("retry", "drop"),
              SettingSpec.of(
                      "bundle_retries",
                      SettingType.INTEGER,
                      "With on_not_included retry: how many more windows of bundle_blocks")
                  .defaultValue(2)
                  .min(0)
                  .max(1_000),
              SettingSpec.of(
                      "builder_share_bps",
                      SettingType.INTEGER,
                      "Share of the net profit the executor contract pays the block's builder"
                          + " (block.coinbase), in the native token; needs native_token as the"
                          + " start token")
                  .defaultValue(0)
                  .unit("bps")
                  .min(0)
                  .max(9_999),
              SettingSpec.of("chain_id", SettingType.INTEGER, "Checked against eth_chainId")
                  .min(0)
                  .max(Long.MAX_VALUE),
              SettingSpec.of(
                      "rpc_url",
                      SettingType.STRING,
                      "JSON-RPC URL; default Alchemy mainnet with ALCHEMY_API_KEY")
                  .secret())
          .withCheck((settings, env) -> ExecutorConfig.from(settings, env));

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int spiVersion() {
    return Spi.VERSION;
  }

  @Override
  public SettingsSchema settingsSchema() {
    return SCHEMA;
  }

  /**
   * Builds an executor; sends nothing until {@code execute}.
   *
   * @throws io.rehoboam.spi.RehoboamException INVALID_CONFIG naming the wrong setting (a secret's
   *     value is never part of the message)
   */
  @Override
  public EvmTradeExecutor create(String id, Settings settings, ProviderContext context) {
    Checks.notBlank(id, "id");
    Checks.notNull(context, "context");
    return new EvmTradeExecutor(id, ExecutorConfig.from(settings, context.env()), context);
  }
}
