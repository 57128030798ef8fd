package io.rehoboam.core.scan.internal;

/**
 * Open-addressing map from long keys to non-negative ints (linear probing, insert only: pairs are
 * never forgotten, an empty pair simply has no pools). Not thread-safe.
 */
public final class LongIntMap {
  private static final long EMPTY = Long.MIN_VALUE;

  private long[] keys;
  private int[] values;
  private int size;
  private int mask;

  public LongIntMap(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new long[capacity];
    java.util.Arrays.fill(keys, EMPTY);
    values = new int[capacity];
    mask = capacity - 1;
  }

  /** The value for {@code key}, or -1 when absent. {@code key} must not be Long.MIN_VALUE. */
  public int get(long key) {
    int i = mix(key) & mask;
    long[] k = keys;
    while (true) {
      long candidate = k[i];
      if (candidate == key) {
        return values[i];
      }
      if (candidate == EMPTY) {
        return -1;
      }
      i = (i + 1) & mask;
    }
  }

  public void put(long key, int value) {
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int i = mix(key) & mask;
    while (keys[i] != EMPTY) {
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
    size++;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    java.util.Arrays.fill(keys, EMPTY);
    values = new int[oldKeys.length * 2];
    mask = keys.length - 1;
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
