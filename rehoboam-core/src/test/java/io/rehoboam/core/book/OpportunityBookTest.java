package io.rehoboam.core.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OpportunityBookTest {
  private static final String WETH = "0x" + "c".repeat(40);
  private static final String USDC = "0x" + "a".repeat(40);
  private static final String DAI = "0x" + "d".repeat(40);

  private final MutableClock clock = MutableClock.atEpoch();

  private Opportunity opportunity(int i, Random random) {
    BigInteger in = BigInteger.valueOf(1_000_000);
    BigInteger profit = BigInteger.valueOf(1 + random.nextInt(10_000));
    BigInteger out = in.add(profit);
    BigDecimal usd =
        random.nextInt(5) == 0 ? null : new BigDecimal(random.nextInt(1000)).movePointLeft(2);
    String mid = i % 2 == 0 ? USDC : DAI;
    return new Opportunity(
        "o" + i,
        i % 3 == 0 ? "cyclic" : "cross_venue",
        "bot",
        WETH,
        in,
        out,
        profit,
        BigInteger.ZERO,
        profit,
        usd,
        usd,
        1,
        clock.instant(),
        clock.instant().plusSeconds(10 + i % 20),
        List.of(new Leg(1, "a", "p", WETH, mid, in, in), new Leg(1, "b", "q", mid, WETH, in, out)));
  }

  @Test
  void aPageIsTheBestOfTheMatchingLiveOpportunitiesInOrder() {
    OpportunityBook book = new OpportunityBook(clock);
    Random random = new Random(3);
    List<Opportunity> all = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      Opportunity o = opportunity(i, random);
      all.add(o);
      book.put(o);
    }
    clock.advance(Duration.ofSeconds(15)); // expires those with 10..14 s to live

    OpportunityFilter filter = new OpportunityFilter("cross_venue", new BigDecimal("2.5"), DAI, 50);
    List<Opportunity> expected =
        all.stream()
            .filter(o -> !o.isExpired(clock.instant()))
            .filter(o -> o.strategy().equals("cross_venue"))
            .filter(
                o ->
                    o.netProfitUsd() != null
                        && o.netProfitUsd().compareTo(new BigDecimal("2.5")) >= 0)
            .filter(o -> o.legs().get(0).tokenOut().equals(DAI))
            .sorted(OpportunityBook.BEST_FIRST)
            .limit(50)
            .toList();
    assertEquals(50, expected.size(), "the data leaves more than a page to choose from");
    assertEquals(expected, book.query(filter));

    List<Opportunity> everything = book.query(OpportunityFilter.all().withLimit(10_000));
    assertTrue(everything.stream().noneMatch(o -> o.isExpired(clock.instant())));
    for (int i = 1; i < everything.size(); i++) {
      assertTrue(OpportunityBook.BEST_FIRST.compare(everything.get(i - 1), everything.get(i)) < 0);
    }
    assertTrue(everything.get(everything.size() - 1).netProfitUsd() == null, "unpriced last");
  }

  @Test
  void anExpiredOpportunityIsRememberedAsExpiredForItsTtlThenForgotten() {
    OpportunityBook book = new OpportunityBook(clock);
    Random random = new Random(5);
    Opportunity purged = opportunity(100, random); // lives 10 s
    Opportunity withdrawn = opportunity(119, random); // lives 29 s... at least a minute remembered
    book.put(purged);
    book.put(withdrawn);
    assertTrue(book.remove(withdrawn.id()));
    clock.advance(Duration.ofSeconds(11));
    assertEquals(List.of(purged), book.purgeExpired());

    for (Opportunity o : List.of(purged, withdrawn)) {
      RehoboamException e = assertThrows(RehoboamException.class, () -> book.require(o.id()));
      assertEquals(ErrorCode.EXPIRED, e.code(), e.getMessage());
      assertTrue(book.expiredAt(o.id()).isPresent());
    }
    assertEquals(
        ErrorCode.NOT_FOUND,
        assertThrows(RehoboamException.class, () -> book.require("never")).code());

    clock.advance(OpportunityBook.MIN_REMEMBERED);
    for (Opportunity o : List.of(purged, withdrawn)) {
      assertEquals(
          ErrorCode.NOT_FOUND,
          assertThrows(RehoboamException.class, () -> book.require(o.id())).code());
    }

    Opportunity again = opportunity(100, random); // the same id published again: live again
    book.put(again);
    assertEquals(again, book.require(purged.id()));
  }

  @Test
  void atMostMaxRememberedAreKept() {
    OpportunityBook book = new OpportunityBook(clock);
    Random random = new Random(9);
    int n = OpportunityBook.MAX_REMEMBERED + 10;
    for (int i = 0; i < n; i++) {
      Opportunity o = opportunity(i, random);
      book.put(o);
      book.remove(o.id());
    }
    assertTrue(book.expiredAt("o0").isEmpty(), "the oldest is forgotten");
    assertTrue(book.expiredAt("o" + (n - 1)).isPresent(), "the newest is kept");
  }

  @Test
  void anUnchangedBookAnswersTheSamePageWithoutWorkingItOutAgain() {
    OpportunityBook book = new OpportunityBook(clock);
    Random random = new Random(11);
    for (int i = 0; i < 1_000; i++) {
      book.put(opportunity(i, random));
    }
    OpportunityFilter page = OpportunityFilter.all().withLimit(50);
    List<Opportunity> first = book.query(page);
    assertEquals(50, first.size());
    assertSame(first, book.query(page), "the same page, not a new sort of the book");
    assertThrows(UnsupportedOperationException.class, () -> first.add(first.get(0)));

    Opportunity better = opportunity(5_000, random);
    better =
        new Opportunity(
            better.id(),
            better.strategy(),
            better.sourceBot(),
            better.startToken(),
            better.amountIn(),
            better.amountOut(),
            better.profit(),
            better.gasCost(),
            better.netProfit(),
            new BigDecimal("1000000"),
            new BigDecimal("1000000"),
            better.blockNumber(),
            better.detectedAt(),
            better.expiresAt(),
            better.legs());
    book.put(better);
    List<Opportunity> second = book.query(page);
    assertNotSame(first, second, "a change makes a new page");
    assertEquals(better, second.get(0));

    clock.advance(Duration.ofSeconds(11)); // some on the page expire
    List<Opportunity> third = book.query(page);
    assertNotSame(second, third, "an expiry on the page makes a new page");
    assertTrue(third.stream().noneMatch(o -> o.isExpired(clock.instant())));
  }
}
