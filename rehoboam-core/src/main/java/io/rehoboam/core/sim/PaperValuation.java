package io.rehoboam.core.sim;

import io.rehoboam.core.scan.TokenInfo;
import io.rehoboam.core.scan.TokenPrices;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.Token;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionRequest;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How a paper trade is valued: its gas cost in start-token base units and the execution it ends in,
 * with the realized profit in the quote currency. One home for live paper trading ({@link
 * PaperTradeExecutor}) and the backtest's replayed paper trading.
 */
public final class PaperValuation {
  private static final MathContext QUOTE_DISPLAY = new MathContext(18, RoundingMode.HALF_EVEN);

  private PaperValuation() {}

  /**
   * The gas of executing {@code o}, in base units of its start token: the opportunity's own gas
   * cost unless {@code config} sets a gas price, else that price times the legs' gas units, valued
   * through the chain's WETH.
   *
   * @throws RehoboamException NOT_FOUND when the start token cannot be priced on its chain
   */
  public static BigInteger gasCost(PaperConfig config, PaperMarket market, Opportunity o) {
    BigInteger priceWei = config.gasPriceWei();
    if (priceWei == null) {
      return o.gasCost();
    }
    BigInteger wei = config.gasUnits(o.legs().size()).multiply(priceWei);
    long chainId = o.legs().get(0).chainId();
    String weth = market.wethByChain().get(chainId);
    Token start = market.tokens().get(o.startToken());
    Optional<BigDecimal> wethPrice = weth == null ? Optional.empty() : market.quotePrice(weth);
    Optional<BigDecimal> startPrice = market.quotePrice(o.startToken());
    if (weth == null || start == null || wethPrice.isEmpty() || startPrice.isEmpty()) {
      throw new RehoboamException(
          ErrorCode.NOT_FOUND,
          "gas: cannot price start token "
              + o.startToken()
              + " on chain "
              + chainId
              + " in market "
              + market.id());
    }
    TokenPrices prices =
        TokenPrices.of(
            weth,
            wethPrice.get(),
            List.of(
                new TokenInfo(
                    start.address(),
                    start.symbol(),
                    start.decimals(),
                    startPrice.get(),
                    startPrice.get().divide(wethPrice.get(), MathContext.DECIMAL128))));
    return prices.fromNative(o.startToken(), wei).orElseThrow();
  }

  /**
   * The paper execution of {@code request}: {@code realized} (base units of the start token, or
   * null) valued in the quote currency where the market prices the start token.
   */
  public static Execution outcome(
      PaperMarket market,
      ExecutionRequest request,
      ExecutionStatus status,
      String reason,
      BigInteger gasUsed,
      BigInteger expectedProfit,
      BigInteger realized,
      Instant started,
      Instant finished) {
    BigDecimal realizedUsd = null;
    if (realized != null) {
      Token start = market.tokens().get(request.opportunity().startToken());
      Optional<BigDecimal> price = market.quotePrice(request.opportunity().startToken());
      if (start != null && price.isPresent()) {
        realizedUsd =
            new BigDecimal(realized, start.decimals())
                .multiply(price.get())
                .round(QUOTE_DISPLAY)
                .stripTrailingZeros();
      }
    }
    return Execution.submitted(
            request.executionId(),
            request.opportunity().id(),
            ExecutionMode.PAPER,
            expectedProfit,
            started)
        .withGasUsed(gasUsed)
        .withRealized(realized, realizedUsd)
        .withStatus(status, reason, finished);
  }
}
