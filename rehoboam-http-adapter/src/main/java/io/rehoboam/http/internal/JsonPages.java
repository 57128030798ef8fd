package io.rehoboam.http.internal;

import io.rehoboam.core.book.OpportunityFilter;
import io.rehoboam.spi.trade.Opportunity;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The JSON of opportunity pages, written once per page: the book hands out the same list instance
 * for a filter while nothing on it changed, and that list's JSON is kept and served again. A few
 * dozen filters are kept at most.
 */
public final class JsonPages {
  private static final int MAX_FILTERS = 64;

  private record Written(List<Opportunity> page, byte[] json) {}

  private final Map<OpportunityFilter, Written> written = new ConcurrentHashMap<>();

  /**
   * {@code {"opportunities": [...], "count": n}} for {@code page}, the answer to {@code filter},
   * each opportunity as {@code render} writes the page.
   */
  public byte[] json(
      OpportunityFilter filter,
      List<Opportunity> page,
      Function<List<Opportunity>, ? extends List<?>> render) {
    Written w = written.get(filter);
    if (w != null && w.page() == page) {
      return w.json();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("opportunities", render.apply(page));
    body.put("count", page.size());
    byte[] json = Json.write(body).getBytes(StandardCharsets.UTF_8);
    if (written.size() >= MAX_FILTERS) {
      written.clear();
    }
    written.put(filter, new Written(page, json));
    return json;
  }
}
