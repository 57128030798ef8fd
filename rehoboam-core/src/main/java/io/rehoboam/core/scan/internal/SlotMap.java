package io.rehoboam.core.scan.internal;

import java.util.Arrays;

/**
 * Pool id to slot, in one flat {@code long[]}: each entry packs the id's hash (high 32 bits) and
 * slot + 1 (low 32 bits, 0 = empty), so a lookup touches one array and the caller confirms the id
 * on the pool it already has to read. Linear probing with backward-shift deletion. Not thread-safe.
 */
final class SlotMap {
  /** Confirms that {@code slot} holds {@code id} (hashes may collide). */
  interface Ids {
    boolean holds(int slot, String id);
  }

  private long[] entries;
  private int size;
  private int mask;

  SlotMap(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    entries = new long[capacity];
    mask = capacity - 1;
  }

  int get(String id, Ids ids) {
    int hash = id.hashCode();
    int i = home(hash);
    long[] table = entries;
    while (true) {
      long entry = table[i];
      if (entry == 0) {
        return -1;
      }
      if ((int) (entry >>> 32) == hash) {
        int slot = (int) entry - 1;
        if (ids.holds(slot, id)) {
          return slot;
        }
      }
      i = (i + 1) & mask;
    }
  }

  /** Adds an id that is not present. */
  void put(String id, int slot) {
    if ((size + 1) * 2 > entries.length) {
      grow();
    }
    insert(id.hashCode(), slot);
    size++;
  }

  /** Removes the entry of {@code slot}, whose id hashes to {@code hash}. */
  void remove(int hash, int slot) {
    long wanted = ((long) hash << 32) | ((slot + 1) & 0xFFFF_FFFFL);
    int i = home(hash);
    while (entries[i] != wanted) {
      if (entries[i] == 0) {
        return;
      }
      i = (i + 1) & mask;
    }
    int hole = i;
    int j = (i + 1) & mask;
    while (entries[j] != 0) {
      int homeOfJ = home((int) (entries[j] >>> 32));
      boolean movable =
          hole <= j ? (homeOfJ <= hole || homeOfJ > j) : (homeOfJ <= hole && homeOfJ > j);
      if (movable) {
        entries[hole] = entries[j];
        hole = j;
      }
      j = (j + 1) & mask;
    }
    entries[hole] = 0;
    size--;
  }

  private void insert(int hash, int slot) {
    int i = home(hash);
    while (entries[i] != 0) {
      i = (i + 1) & mask;
    }
    entries[i] = ((long) hash << 32) | ((slot + 1) & 0xFFFF_FFFFL);
  }

  private void grow() {
    long[] old = entries;
    entries = new long[old.length * 2];
    mask = entries.length - 1;
    for (long entry : old) {
      if (entry != 0) {
        insert((int) (entry >>> 32), (int) entry - 1);
      }
    }
    Arrays.fill(old, 0);
  }

  private int home(int hash) {
    int h = hash * 0x9E3779B9;
    return (h ^ (h >>> 16)) & mask;
  }
}
