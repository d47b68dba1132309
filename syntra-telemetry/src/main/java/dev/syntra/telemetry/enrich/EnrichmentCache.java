package dev.syntra.telemetry.enrich;

import io.opentelemetry.proto.resource.v1.Resource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Enriched resources by original resource (protobuf equality; the hash is memoized per message),
 * bounded (least recently used first out) and expiring after a TTL so directory changes show.
 * Thread-safe (synchronized: one map lookup per resource per request).
 */
final class EnrichmentCache {
  static final int MAX_CACHED_RESOURCE_BYTES = 16 * 1024;

  private final ResourceAttributes attributes;
  private final long ttlMillis;
  private final LinkedHashMap<Resource, Cached> entries;

  EnrichmentCache(ResourceAttributes attributes, int maxEntries, long ttlMillis) {
    this.attributes = attributes;
    this.ttlMillis = ttlMillis;
    this.entries =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Resource, Cached> eldest) {
            return size() > maxEntries;
          }
        };
  }

  /**
   * The enriched resource, or {@code resource} itself when nothing changes. Resources above {@value
   * #MAX_CACHED_RESOURCE_BYTES} bytes are enriched without caching: real ones are a few hundred
   * bytes, and caching a client's megabyte attributes would retain {@code maxEntries} of them
   * (twice: key and enriched copy).
   */
  Resource enrich(Resource resource, long nowMillis) {
    if (resource.getSerializedSize() > MAX_CACHED_RESOURCE_BYTES) {
      return attributes.enrich(resource);
    }
    synchronized (entries) {
      Cached entry = entries.get(resource);
      if (entry != null && entry.expiresAtMillis > nowMillis) {
        return entry.unchanged ? resource : entry.enriched;
      }
    }
    // Directory lookups run outside the lock; two threads may compute the same entry, harmlessly.
    Resource enriched = attributes.enrich(resource);
    synchronized (entries) {
      entries.put(resource, new Cached(enriched, enriched == resource, nowMillis + ttlMillis));
    }
    return enriched;
  }

  void clear() {
    synchronized (entries) {
      entries.clear();
    }
  }

  private record Cached(Resource enriched, boolean unchanged, long expiresAtMillis) {}
}
