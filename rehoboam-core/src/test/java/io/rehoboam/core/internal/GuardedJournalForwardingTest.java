package io.rehoboam.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rehoboam.core.journal.Journal;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The journal guard sits between the service and every journal: a {@link Journal} method it does
 * not override falls back to the interface's default, which keeps nothing, so whatever that method
 * records would silently never reach the disk (run-time risk controls and operator settings once
 * did). Every method of the interface must be forwarded.
 */
class GuardedJournalForwardingTest {
  @Test
  void everyJournalMethodIsForwardedToTheDelegate() {
    List<String> missing =
        Arrays.stream(Journal.class.getMethods())
            .filter(m -> !Modifier.isStatic(m.getModifiers()))
            .filter(m -> !declares(GuardedJournal.class, m))
            .map(Method::getName)
            .sorted()
            .toList();
    assertEquals(List.of(), missing, "Journal methods GuardedJournal does not forward");
  }

  private static boolean declares(Class<?> type, Method m) {
    try {
      type.getDeclaredMethod(m.getName(), m.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
