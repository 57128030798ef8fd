package io.rehoboam.core.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehoboam.core.journal.ExecutionAttempt;
import io.rehoboam.core.journal.JournalledExecution;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The trade history: every execution that was sent to an executor (not those the risk policy
 * refused before), loaded from the journal at start-up and kept up to date as executions finish, so
 * it survives restarts wherever the journal does. Answers paged queries (newest first) and PnL
 * reports.
 *
 * <p>Thread-safe.
 */
public final class ExecutionHistory {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Newest first: by start time, then id, both descending. */
  private record Key(Instant startedAt, String id) {}

  private static final Comparator<Key> NEWEST_FIRST =
      Comparator.comparing(Key::startedAt).thenComparing(Key::id).reversed();

  private final TreeMap<Key, TradeRecord> byTime = new TreeMap<>(NEWEST_FIRST);
  private final Map<String, Key> keys = new HashMap<>();

  /** Loads one execution read back from the journal. */
  public void load(JournalledExecution journalled) {
    put(record(journalled.attempt(), null, journalled.latest()));
  }

  /** Records an execution being sent, before its result. */
  public void begin(ExecutionAttempt attempt, Opportunity opportunity, Execution first) {
    put(record(attempt, opportunity, first));
  }

  /** Records a status change of an execution begun earlier; unknown ids are ignored. */
  public synchronized void update(Execution e) {
    Key key = keys.get(e.id());
    if (key == null) {
      return;
    }
    TradeRecord r = byTime.get(key);
    byTime.put(
        key,
        new TradeRecord(
            r.id(),
            r.opportunityId(),
            r.botId(),
            r.strategy(),
            r.executorId(),
            e.mode(),
            e.status(),
            e.reason(),
            r.startToken(),
            r.amountIn(),
            r.expectedProfit(),
            e.realizedProfit(),
            e.realizedProfitUsd(),
            e.gasUsed(),
            r.gasCostUsd(),
            e.txHashes(),
            r.startedAt(),
            e.finishedAt(),
            r.legs(),
            e.legs()));
  }

  private synchronized void put(TradeRecord r) {
    Key old = keys.put(r.id(), new Key(r.startedAt(), r.id()));
    if (old != null) {
      byTime.remove(old);
    }
    byTime.put(new Key(r.startedAt(), r.id()), r);
  }

  /** One execution by id. */
  public synchronized Optional<TradeRecord> find(String executionId) {
    Key key = keys.get(executionId);
    return key == null ? Optional.empty() : Optional.of(byTime.get(key));
  }

  /** How many executions it holds. */
  public synchronized int size() {
    return byTime.size();
  }

  /**
   * A page of executions, newest first.
   *
   * @throws RehoboamException INVALID_ARGUMENT (field {@code cursor}) for a cursor it did not make
   */
  public synchronized ExecutionPage query(ExecutionQuery q) {
    Map<Key, TradeRecord> view =
        q.cursor() == null ? byTime : byTime.tailMap(decode(q.cursor()), false);
    List<TradeRecord> page = new ArrayList<>();
    String next = null;
    for (Map.Entry<Key, TradeRecord> e : view.entrySet()) {
      TradeRecord r = e.getValue();
      if (q.from() != null && r.startedAt().isBefore(q.from())) {
        break; // everything further is older still
      }
      if (!matches(r, q)) {
        continue;
      }
      if (page.size() == q.limit()) {
        next =
            encode(new Key(page.get(page.size() - 1).startedAt(), page.get(page.size() - 1).id()));
        break;
      }
      page.add(r);
    }
    return new ExecutionPage(page, next);
  }

  private static boolean matches(TradeRecord r, ExecutionQuery q) {
    return (q.botId() == null || q.botId().equals(botKey(r)))
        && (q.strategy() == null || q.strategy().equals(r.strategy()))
        && (q.status() == null || q.status() == r.status())
        && (q.to() == null || r.startedAt().isBefore(q.to()));
  }

  /** PnL of the finished executions the query selects. */
  public synchronized PnlReport pnl(PnlQuery q) {
    Sums totals = new Sums();
    Map<String, Sums> byBot = new TreeMap<>();
    Map<String, Sums> byStrategy = new TreeMap<>();
    TreeMap<Instant, Sums> series = new TreeMap<>();
    for (TradeRecord r : byTime.values()) {
      if (!r.status().isTerminal() || r.finishedAt() == null) {
        continue;
      }
      Instant at = r.finishedAt();
      if ((q.from() != null && at.isBefore(q.from()))
          || (q.to() != null && !at.isBefore(q.to()))
          || (q.botId() != null && !q.botId().equals(botKey(r)))
          || (q.strategy() != null && !q.strategy().equals(r.strategy()))) {
        continue;
      }
      totals.add(r);
      byBot.computeIfAbsent(botKey(r), k -> new Sums()).add(r);
      byStrategy.computeIfAbsent(r.strategy(), k -> new Sums()).add(r);
      series.computeIfAbsent(q.bucket().start(at), k -> new Sums()).add(r);
      if (series.size() > PnlQuery.MAX_BUCKETS) {
        throw RehoboamException.invalid(
            "bucket",
            "more than "
                + PnlQuery.MAX_BUCKETS
                + " "
                + q.bucket().wireName()
                + " buckets; use a wider bucket or a shorter from/to range");
      }
    }
    List<PnlReport.Bucket> buckets = new ArrayList<>();
    series.forEach(
        (start, sums) ->
            buckets.add(
                new PnlReport.Bucket(start, start.plus(q.bucket().width()), sums.figures())));
    // The total's realized profit is the sum of the per-bot figures, each rounded as the bot's
    // total_profit is, so the report adds up to the bots' totals to the last digit.
    PnlFigures t = totals.figures();
    BigDecimal realized =
        byBot.values().stream()
            .map(s -> s.figures().realizedProfitUsd())
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    PnlFigures total =
        new PnlFigures(
            t.executions(),
            t.succeeded(),
            t.failed(),
            t.wins(),
            t.winRate(),
            realized,
            t.gasUsed(),
            t.gasCostUsd());
    return new PnlReport(
        q.from(),
        q.to(),
        q.bucket().wireName(),
        total,
        map(byBot, Sums::figures),
        map(byStrategy, Sums::figures),
        buckets);
  }

  private static <V> Map<String, PnlFigures> map(Map<String, V> in, Function<V, PnlFigures> f) {
    Map<String, PnlFigures> out = new TreeMap<>();
    in.forEach((k, v) -> out.put(k, f.apply(v)));
    return out;
  }

  private static String botKey(TradeRecord r) {
    return r.botId() == null ? PnlReport.API : r.botId();
  }

  /** Running sums of one group. */
  private static final class Sums {
    long executions;
    long succeeded;
    long wins;
    BigDecimal realized = BigDecimal.ZERO;
    BigInteger gasUsed = BigInteger.ZERO;
    BigDecimal gasCost = BigDecimal.ZERO;

    void add(TradeRecord r) {
      executions++;
      if (r.status() == ExecutionStatus.CONFIRMED || r.status() == ExecutionStatus.SIMULATED) {
        succeeded++;
      }
      if (r.realized()) {
        realized = realized.add(r.realizedProfitUsd());
        if (r.realizedProfitUsd().signum() > 0) {
          wins++;
        }
      }
      if (r.gasUsed() != null) {
        gasUsed = gasUsed.add(r.gasUsed());
      }
      if (r.gasCostUsd() != null) {
        gasCost = gasCost.add(r.gasCostUsd());
      }
    }

    PnlFigures figures() {
      BigDecimal rate =
          executions == 0
              ? BigDecimal.ZERO
              : BigDecimal.valueOf(wins)
                  .divide(BigDecimal.valueOf(executions), 4, java.math.RoundingMode.HALF_EVEN);
      return new PnlFigures(
          executions, succeeded, executions - succeeded, wins, rate, realized, gasUsed, gasCost);
    }
  }

  // ---------------------------------------------------------------- building records

  private static TradeRecord record(ExecutionAttempt a, Opportunity o, Execution e) {
    String strategy;
    List<Leg> legs;
    BigDecimal gasCostUsd;
    if (o != null) {
      strategy = o.strategy();
      legs = o.legs();
      gasCostUsd = gasCost(o.profitUsd(), o.netProfitUsd());
    } else {
      JsonNode n = parse(a.opportunityJson());
      strategy = n.path("strategy").asText("unknown");
      legs = legs(n.path("legs"));
      gasCostUsd = gasCost(decimal(n.get("profit_usd")), decimal(n.get("net_profit_usd")));
    }
    return new TradeRecord(
        a.executionId(),
        a.opportunityId(),
        a.botId(),
        strategy,
        a.executorId(),
        e.mode(),
        e.status(),
        e.reason(),
        a.startToken(),
        a.amountIn(),
        a.expectedProfit(),
        e.realizedProfit(),
        e.realizedProfitUsd(),
        e.gasUsed(),
        gasCostUsd,
        e.txHashes(),
        a.startedAt(),
        e.finishedAt(),
        legs,
        e.legs());
  }

  private static BigDecimal gasCost(BigDecimal profitUsd, BigDecimal netProfitUsd) {
    return profitUsd == null || netProfitUsd == null ? null : profitUsd.subtract(netProfitUsd);
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (java.io.IOException | RuntimeException e) {
      return MAPPER.createObjectNode();
    }
  }

  private static BigDecimal decimal(JsonNode n) {
    return n == null || n.isNull() ? null : n.decimalValue();
  }

  private static List<Leg> legs(JsonNode array) {
    List<Leg> out = new ArrayList<>();
    if (!array.isArray()) {
      return out;
    }
    try {
      for (JsonNode l : array) {
        out.add(
            new Leg(
                l.path("chain_id").asLong(),
                l.path("dex").asText(),
                l.path("pool_id").asText(),
                l.path("token_in").asText(),
                l.path("token_out").asText(),
                new BigInteger(l.path("amount_in").asText()),
                new BigInteger(l.path("amount_out").asText())));
      }
    } catch (RuntimeException e) {
      return List.of(); // an unreadable record keeps its other fields
    }
    return out;
  }

  // ---------------------------------------------------------------- cursors

  private static String encode(Key key) {
    String text = key.startedAt() + "|" + key.id();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Key decode(String cursor) {
    try {
      String text =
          new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
      int bar = text.indexOf('|');
      if (bar < 0) {
        throw new IllegalArgumentException("no separator");
      }
      return new Key(Instant.parse(text.substring(0, bar)), text.substring(bar + 1));
    } catch (RuntimeException e) {
      throw RehoboamException.invalid(
          "cursor", "not a cursor this server made (use next_cursor of the previous page)");
    }
  }
}
