package io.rehoboam.core.events.internal;

/**
 * Fills the slot of a seq whose event was never built (the factory threw or broke the contract), so
 * that subscribers waiting for that seq move on instead of waiting forever. One instance serves
 * every seq: a slot's position says which seq it is.
 */
final class Hole {
  @Override
  public String toString() {
    return "Hole";
  }
}
