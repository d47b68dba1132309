package dev.syntra.server.http;

import dev.syntra.server.api.ConnectionLimiter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.coyote.AbstractProcessor;
import org.apache.coyote.Constants;
import org.apache.coyote.Request;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;

/**
 * Tomcat's NIO endpoint with two defences Tomcat lacks. At accept, a socket beyond the per-address
 * or total connection cap is closed before Tomcat allocates anything for it. And a request whose
 * line and headers are still incomplete {@code headerTimeout} after its first byte is closed:
 * Tomcat's own timeout is per read, so a client sending one header line every few seconds would
 * otherwise hold its connection (and its share of {@code maxConnections}) forever.
 *
 * <p>The caps are counted on Tomcat's own connection map: an admitted socket is released when
 * Tomcat removes it from {@code connections}, which it does exactly once when it closes the socket.
 */
final class GuardedNioEndpoint extends NioEndpoint {
  private volatile @Nullable ConnectionLimiter limiter;
  private volatile long headerTimeoutNanos = Long.MAX_VALUE;
  private final Map<SocketChannel, InetAddress> admitted = new ConcurrentHashMap<>();
  private final AtomicLong refusedPerAddress = new AtomicLong();
  private final AtomicLong refusedTotal = new AtomicLong();
  private final AtomicLong headerTimeouts = new AtomicLong();
  private @Nullable ScheduledExecutorService reaper;

  GuardedNioEndpoint() {
    connections = new ReleasingMap();
  }

  /** Sets the limits; call before the endpoint starts. */
  void guard(HttpSettings settings) {
    limiter = new ConnectionLimiter(settings.maxConnections(), settings.maxConnectionsPerAddress());
    headerTimeoutNanos = settings.headerTimeout().toNanos();
  }

  long refusedPerAddress() {
    return refusedPerAddress.get();
  }

  long refusedTotal() {
    return refusedTotal.get();
  }

  long headerTimeouts() {
    return headerTimeouts.get();
  }

  @Override
  protected boolean setSocketOptions(SocketChannel socket) {
    ConnectionLimiter limits = limiter;
    InetAddress address = remoteAddress(socket);
    if (limits == null || address == null) {
      return super.setSocketOptions(socket);
    }
    ConnectionLimiter.Verdict verdict = limits.admit(address);
    if (verdict != ConnectionLimiter.Verdict.ADMITTED) {
      (verdict == ConnectionLimiter.Verdict.ADDRESS_FULL ? refusedPerAddress : refusedTotal)
          .incrementAndGet();
      destroySocket(socket); // closes it and frees its slot in Tomcat's own count
      return false;
    }
    admitted.put(socket, address);
    boolean registered = super.setSocketOptions(socket);
    if (!registered) {
      release(socket);
    }
    return registered;
  }

  @Override
  public void startInternal() throws Exception {
    super.startInternal();
    long period =
        Math.max(50, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(headerTimeoutNanos) / 4));
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name(getName() + "-header-deadline").daemon().factory());
    timer.scheduleWithFixedDelay(this::closeSlowRequests, period, period, TimeUnit.MILLISECONDS);
    reaper = timer;
  }

  @Override
  public void stopInternal() {
    ScheduledExecutorService timer = reaper;
    if (timer != null) {
      timer.shutdownNow();
      reaper = null;
    }
    super.stopInternal();
  }

  /** Closes connections whose current request has been reading its headers for too long. */
  private void closeSlowRequests() {
    try {
      long now = System.nanoTime();
      for (SocketWrapperBase<NioChannel> wrapper : getConnections()) {
        Object processor = wrapper.getCurrentProcessor();
        if (processor instanceof AbstractProcessor p
            && !p.isAsync() // an open event stream: its headers arrived long ago
            && readingHeadersSince(p.getRequest(), now)
            && wrapper.getCurrentProcessor() == processor) {
          headerTimeouts.incrementAndGet();
          wrapper.close();
        }
      }
    } catch (RuntimeException e) {
      // The next round tries again; a wrapper closed under our feet is not an error.
    }
  }

  /**
   * A processor parked on a socket between reads of an unfinished request line or header block
   * shows {@code STAGE_ENDED} (its service loop ended waiting for data) with the request's start
   * time set; a finished request has been recycled (start time -1) before the processor parks.
   */
  private boolean readingHeadersSince(Request request, long now) {
    long start = request.getStartTimeNanos();
    int stage = request.getRequestProcessor().getStage();
    return (stage == Constants.STAGE_PARSE || stage == Constants.STAGE_ENDED)
        && start != -1 // -1: no byte of this request yet (Tomcat's idle timeout covers that)
        && now - start > headerTimeoutNanos;
  }

  private void release(Object socket) {
    InetAddress address = admitted.remove(socket);
    ConnectionLimiter limits = limiter;
    if (address != null && limits != null) {
      limits.release(address);
    }
  }

  private static @Nullable InetAddress remoteAddress(SocketChannel socket) {
    try {
      return socket.getRemoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Tomcat's connection map, releasing a socket's cap slot when Tomcat forgets the socket. */
  private final class ReleasingMap
      extends ConcurrentHashMap<SocketChannel, SocketWrapperBase<NioChannel>> {
    private static final long serialVersionUID = 1L;

    @Override
    public @Nullable SocketWrapperBase<NioChannel> remove(Object key) {
      SocketWrapperBase<NioChannel> removed = super.remove(key);
      release(key);
      return removed;
    }
  }
}
