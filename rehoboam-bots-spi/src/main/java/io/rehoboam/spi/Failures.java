package io.rehoboam.spi;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What a failed asynchronous stage really failed with. */
public final class Failures {
  private Failures() {}

  /**
   * The failure inside the wrappers a {@code CompletableFuture} adds: {@code t} without its {@link
   * CompletionException} and {@link ExecutionException} layers (those with a cause); null for null.
   */
  public static Throwable cause(Throwable t) {
    Throwable current = t;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
