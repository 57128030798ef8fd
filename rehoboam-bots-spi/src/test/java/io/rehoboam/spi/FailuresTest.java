package io.rehoboam.spi;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FailuresTest {
  @Test
  void theCauseIsFoundUnderEveryWrapperAStageAdds() throws Exception {
    IOException io = new IOException("node unreachable");
    assertSame(io, Failures.cause(new CompletionException(new ExecutionException(io))));
    CompletableFuture<Void> failed =
        CompletableFuture.<Void>failedFuture(io).thenApply(v -> v).thenApply(v -> v);
    Throwable seen = failed.handle((v, t) -> t).get();
    assertSame(io, Failures.cause(seen));
  }

  @Test
  void aWrapperWithoutCauseAndOtherFailuresAreThemselves() {
    CompletionException bare = new CompletionException("no cause", null);
    assertSame(bare, Failures.cause(bare));
    RehoboamException own = new RehoboamException(ErrorCode.CONFLICT, "busy");
    assertSame(own, Failures.cause(own));
    assertNull(Failures.cause(null));
  }
}
