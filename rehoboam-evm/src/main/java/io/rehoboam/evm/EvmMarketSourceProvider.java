package io.rehoboam.evm;

import io.rehoboam.evm.internal.SourceConfig;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ProviderContext;
import io.rehoboam.spi.SettingSpec;
import io.rehoboam.spi.SettingType;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.SettingsSchema;
import io.rehoboam.spi.Spi;
import io.rehoboam.spi.market.MarketSourceProvider;

/**
 * Builds {@link EvmMarketSource}s: type {@code evm}. Found by ServiceLoader. {@code
 * ALCHEMY_API_KEY} is read from the service's environment ({@link ProviderContext#env()}) when no
 * {@code rpc_url} is given.
 *
 * <p>{@code rpc_url} and {@code ws_url} are sensitive: a provider URL usually carries an API key.
 */
public final class EvmMarketSourceProvider implements MarketSourceProvider {
  /** The type id. */
  public static final String TYPE = "evm";

  /** The settings of an evm source: the one list of them (the module README explains each). */
  public static final SettingsSchema SCHEMA =
      SettingsSchema.of(
              SettingSpec.of(
                      "rpc_url",
                      SettingType.STRING,
                      "JSON-RPC URL, http(s) or ws(s); default Alchemy mainnet with"
                          + " ALCHEMY_API_KEY")
                  .secret(),
              SettingSpec.of(
                      "ws_url",
                      SettingType.STRING,
                      "A separate WebSocket URL (for nodes that serve it on another port)")
                  .secret(),
              SettingSpec.of(
                      "chain_id",
                      SettingType.INTEGER,
                      "Checked against eth_chainId; a mismatch keeps the source down")
                  .min(0)
                  .max(Long.MAX_VALUE),
              SettingSpec.of(
                  "pools",
                  SettingType.LIST_OR_SECTION,
                  "Pool addresses, or {address, dex, fee_bps}"),
              SettingSpec.of(
                  "factories",
                  SettingType.SECTION_LIST,
                  "{address, dex, fee_bps, init_code_hash, tokens}: every pair of tokens resolved"
                      + " with getPair"),
              SettingSpec.of("dex", SettingType.STRING, "Default venue of pools and factories")
                  .defaultValue(SourceConfig.DEFAULT_DEX),
              SettingSpec.of("fee_bps", SettingType.INTEGER, "Default fee of pools and factories")
                  .defaultValue(SourceConfig.DEFAULT_FEE_BPS)
                  .unit("bps")
                  .min(0)
                  .max(10_000),
              SettingSpec.of(
                      "poll_interval",
                      SettingType.DURATION,
                      "HTTP mode: how often eth_blockNumber is asked")
                  .defaultValue("1s"),
              SettingSpec.of("batch_size", SettingType.INTEGER, "Calls per JSON-RPC batch")
                  .defaultValue(250)
                  .min(1)
                  .max(Integer.MAX_VALUE),
              SettingSpec.of("request_timeout", SettingType.DURATION, "One HTTP exchange")
                  .defaultValue("10s"),
              SettingSpec.of(
                      "backoff_initial",
                      SettingType.DURATION,
                      "First retry delay while the node is away (doubling)")
                  .defaultValue("500ms"),
              SettingSpec.of(
                      "backoff_max",
                      SettingType.DURATION,
                      "Longest retry delay while the node is away")
                  .defaultValue("30s"),
              SettingSpec.of(
                      "rpc_urls",
                      SettingType.LIST,
                      "More JSON-RPC endpoints of the same chain, after rpc_url in order of"
                          + " preference: health-checked, the first healthy one is read (several"
                          + " endpoints are polled over HTTP)")
                  .secret(),
              SettingSpec.of(
                      "quorum",
                      SettingType.INTEGER,
                      "Endpoints that must reach a head block for it to count (an endpoint ahead"
                          + " of that head or lagging behind it is dropped)")
                  .defaultValue(1)
                  .min(1)
                  .max(Integer.MAX_VALUE),
              SettingSpec.of(
                      "max_lag_blocks",
                      SettingType.INTEGER,
                      "How far an endpoint's head may be from the quorum head")
                  .defaultValue(2)
                  .min(0)
                  .max(Long.MAX_VALUE),
              SettingSpec.of(
                      "health_check_interval",
                      SettingType.DURATION,
                      "How often every endpoint's head is asked (several endpoints)")
                  .defaultValue("5s"),
              SettingSpec.of(
                      "fee_estimate",
                      SettingType.BOOLEAN,
                      "Estimate EIP-1559 fees from eth_feeHistory on every new block (offered to a"
                          + " live_monitor with gas_price_from_source)")
                  .defaultValue(false),
              SettingSpec.of(
                      "fee_history_blocks",
                      SettingType.INTEGER,
                      "Recent blocks the priority fee is the median of")
                  .defaultValue(10)
                  .min(1)
                  .max(1024),
              SettingSpec.of(
                      "priority_fee_percentile",
                      SettingType.DECIMAL,
                      "Reward percentile of each block taken as its priority fee")
                  .defaultValue(50)
                  .min(0)
                  .max(100),
              SettingSpec.of(
                  "discovery",
                  SettingType.SECTION,
                  "{factories (fork names or {address, dex, fee_bps, init_code_hash}), method"
                      + " (logs | all_pairs), from_block, log_blocks, min_liquidity,"
                      + " recheck_interval}: pools found from factories"),
              SettingSpec.of(
                      "quote_prices",
                      SettingType.SECTION,
                      "USD price per whole token, by address (profit_usd and risk limits)")
                  .unit("usd"))
          .withCheck((settings, env) -> SourceConfig.from(settings, env));

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
   * Builds a source; connects nothing until the first subscription.
   *
   * @throws io.rehoboam.spi.RehoboamException INVALID_CONFIG naming the wrong setting
   */
  @Override
  public EvmMarketSource create(String id, Settings settings, ProviderContext context) {
    Checks.notBlank(id, "id");
    Checks.notNull(context, "context");
    return new EvmMarketSource(id, SourceConfig.from(settings, context.env()), context);
  }
}
