package dev.syntra.server.api;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open connections per remote address and in total, and says whether one more may be
 * admitted. A listener calls {@link #admit} when it accepts a socket (closing it when refused) and
 * {@link #release} exactly once when an admitted socket closes. Memory is bounded by the open
 * connections: an address is forgotten when its last connection closes. Thread-safe.
 */
public final class ConnectionLimiter {
  /** Whether a connection was admitted, and if not, which limit refused it. */
  public enum Verdict {
    ADMITTED,
    /** The address already has {@code maxPerAddress} open connections. */
    ADDRESS_FULL,
    /** The listener already has {@code maxTotal} open connections. */
    TOTAL_FULL;

    /** The metric label of a refusal: {@code per_address} or {@code total}. */
    public String label() {
      return this == ADDRESS_FULL ? "per_address" : this == TOTAL_FULL ? "total" : "admitted";
    }
  }

  private final int maxTotal;
  private final int maxPerAddress;
  private final AtomicInteger total = new AtomicInteger();
  private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

  public ConnectionLimiter(int maxTotal, int maxPerAddress) {
    if (maxTotal < 1 || maxPerAddress < 1) {
      throw new IllegalArgumentException("connection limits must be positive");
    }
    this.maxTotal = maxTotal;
    this.maxPerAddress = maxPerAddress;
  }

  /** Counts the connection if both limits allow it. */
  public Verdict admit(InetAddress address) {
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      return Verdict.TOTAL_FULL;
    }
    boolean[] admitted = {false};
    perAddress.compute(
        address,
        (a, count) -> {
          int n = count == null ? 0 : count;
          if (n < maxPerAddress) {
            admitted[0] = true;
            return n + 1;
          }
          return n;
        });
    if (!admitted[0]) {
      total.decrementAndGet();
      return Verdict.ADDRESS_FULL;
    }
    return Verdict.ADMITTED;
  }

  /** Forgets one admitted connection of {@code address}. */
  public void release(InetAddress address) {
    perAddress.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
    total.decrementAndGet();
  }

  /** Open connections admitted and not yet released. */
  public int open() {
    return total.get();
  }

  public int maxTotal() {
    return maxTotal;
  }

  public int maxPerAddress() {
    return maxPerAddress;
  }

  @Override
  public String toString() {
    return "ConnectionLimiter[maxTotal=" + maxTotal + ", maxPerAddress=" + maxPerAddress + "]";
  }
}
