package dev.syntra.agent.collect;

import dev.syntra.protocol.runtime.ServiceRef;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * A Prometheus endpoint of a service to scrape.
 *
 * @param url an {@code http} or {@code https} URL
 * @param interval time between scrapes, 1 s to 1 h
 * @param timeout of one scrape (connect, headers and body), at most {@code interval}
 */
public record ScrapeTarget(ServiceRef service, URI url, Duration interval, Duration timeout) {
  public ScrapeTarget {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(url, "url");
    String scheme = url.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme) || url.getHost() == null) {
      throw new IllegalArgumentException("url: must be an http(s) URL with a host, was " + url);
    }
    if (interval.compareTo(Duration.ofSeconds(1)) < 0
        || interval.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("interval: must be between 1 s and 1 h, was " + interval);
    }
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(interval) > 0) {
      throw new IllegalArgumentException(
          "timeout: must be positive and at most the interval, was " + timeout);
    }
  }

  /** Every 15 s with a 10 s timeout, as Prometheus does by default. */
  public static ScrapeTarget of(ServiceRef service, URI url) {
    return new ScrapeTarget(service, url, Duration.ofSeconds(15), Duration.ofSeconds(10));
  }
}
