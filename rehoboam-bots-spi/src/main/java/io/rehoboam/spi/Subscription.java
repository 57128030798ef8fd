package io.rehoboam.spi;

/** A registration that {@link #close()} really removes. Closing twice is harmless. */
public interface Subscription extends AutoCloseable {
  @Override
  void close();
}
