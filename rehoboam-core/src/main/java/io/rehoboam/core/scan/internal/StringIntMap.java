package io.rehoboam.core.scan.internal;

/**
 * Insert-only open-addressing map from string keys to non-negative ints (linear probing): two flat
 * arrays instead of a node per entry. Not thread-safe.
 */
public final class StringIntMap {
  private static final int ABSENT = -1;

  private String[] keys;
  private int[] values;
  private int size;
  private int mask;

  public StringIntMap(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new String[capacity];
    values = new int[capacity];
    mask = capacity - 1;
  }

  /** The value for {@code key}, or -1 when absent. */
  public int get(String key) {
    int i = mix(key.hashCode()) & mask;
    String[] k = keys;
    while (true) {
      String candidate = k[i];
      if (candidate == null) {
        return ABSENT;
      }
      if (candidate.equals(key)) {
        return values[i];
      }
      i = (i + 1) & mask;
    }
  }

  public void put(String key, int value) {
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int i = mix(key.hashCode()) & mask;
    while (keys[i] != null) {
      if (keys[i].equals(key)) {
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
    String[] oldKeys = keys;
    int[] oldValues = values;
    keys = new String[oldKeys.length * 2];
    values = new int[oldKeys.length * 2];
    mask = keys.length - 1;
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }

  private static int mix(int hash) {
    int h = hash * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
