package io.rehoboam.core.events.internal;

/**
 * Fills the slot of a seq whose event was never built (the factory threw or broke the contract), so
 * that subscribers waiting for that seq move on instead of waiting forever.
 */
record Hole(long seq) {}
