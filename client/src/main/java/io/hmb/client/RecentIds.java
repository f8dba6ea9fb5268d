package io.hmb.client;

import java.util.LinkedHashMap;
import java.util.Map;

/** The most recent message ids processed, bounded: the oldest is forgotten first. Thread-safe. */
final class RecentIds {
  private final Map<String, Boolean> ids;

  RecentIds(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.ids = new LinkedHashMap<>(16, 0.75f, false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized boolean contains(String id) {
    return ids.containsKey(id);
  }

  synchronized void add(String id) {
    ids.put(id, Boolean.TRUE);
  }
}
