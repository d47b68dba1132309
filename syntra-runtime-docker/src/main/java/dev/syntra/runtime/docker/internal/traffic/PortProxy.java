package dev.syntra.runtime.docker.internal.traffic;

import dev.syntra.protocol.runtime.HostBinding;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process TCP proxy serving one published {@link HostBinding} (e.g. {@code 127.0.0.1:18080})
 * in front of replicas reachable on loopback ports. The backend list is swapped atomically; every
 * backend has a weight (smooth weighted round robin, so 90/10 is exact over 100 connections) and a
 * count of its active connections, which {@link #drain} waits on before a replica is stopped.
 *
 * <p>Threads: one named platform thread accepts; each connection runs on two named virtual threads
 * (one per direction). Connections are bounded by {@code maxConnections}: beyond it new connections
 * are closed at once and counted as refused. A connection whose chosen backend does not answer is
 * retried on the other backends and counted as failed when none answers. Thread-safe; {@link
 * #close()} is idempotent and waits at most one second.
 */
public final class PortProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PortProxy.class);
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int BUFFER_BYTES = 16 * 1024;

  /** How long one side may keep its half open after the other side closed its half. */
  private static final Duration LINGER = Duration.ofSeconds(30);

  private static final long ACCEPT_BACKOFF_MIN_MILLIS = 10;
  private static final long ACCEPT_BACKOFF_MAX_MILLIS = 1000;
  private static final long ACCEPT_WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** A backend: a loopback port of a replica, taking {@code weight} shares of new connections. */
  public record Backend(String id, int port, int weight) {
    public Backend {
      if (id.isBlank()) {
        throw new IllegalArgumentException("backend id must not be blank");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("backend port must be 1-65535, was " + port);
      }
      if (weight < 1) {
        throw new IllegalArgumentException("backend weight must be at least 1, was " + weight);
      }
    }
  }

  /**
   * Counters since the proxy opened.
   *
   * @param accepted connections accepted from clients
   * @param refused connections closed at once because {@code maxConnections} were open
   * @param failed connections closed because no backend answered
   * @param active connections open now
   */
  public record Stats(long accepted, long refused, long failed, int active) {}

  private final HostBinding binding;
  private final ServerSocket server;
  private final Semaphore permits;
  private final int connectTimeoutMillis;
  private final Duration linger;
  private final Consumer<Backend> onUnreachable;
  private final ThreadFactory connectionThreads;
  private final Thread acceptThread;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition released = lock.newCondition();
  private final Map<String, Integer> activeByBackend = new HashMap<>(); // guarded by lock
  private List<Slot> slots = List.of(); // guarded by lock
  private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  private static final class Slot {
    final Backend backend;
    long current;

    Slot(Backend backend) {
      this.backend = backend;
    }
  }

  private PortProxy(
      HostBinding binding,
      ServerSocket server,
      int maxConnections,
      Duration connectTimeout,
      Duration linger,
      Consumer<Backend> onUnreachable) {
    this.binding = binding;
    this.server = server;
    this.permits = new Semaphore(maxConnections);
    this.connectTimeoutMillis = (int) Math.max(1, Math.min(connectTimeout.toMillis(), 60_000));
    this.linger = linger;
    this.onUnreachable = onUnreachable;
    this.connectionThreads =
        Thread.ofVirtual().name("syntra-proxy-" + binding.port() + "-conn-", 0).factory();
    this.acceptThread =
        Thread.ofPlatform()
            .name("syntra-proxy-" + binding + "-accept")
            .daemon(true)
            .unstarted(this::acceptLoop);
  }

  /**
   * Binds {@code binding} and starts accepting. Without backends, connections are closed at once
   * (and counted as failed).
   *
   * @throws RuntimeAdapterException.Conflict if the address is already in use
   */
  public static PortProxy open(
      HostBinding binding,
      int maxConnections,
      Duration connectTimeout,
      Consumer<Backend> onUnreachable) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1");
    }
    ServerSocket server = null;
    try {
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getByName(binding.ip()), binding.port()), 512);
    } catch (BindException e) {
      closeQuietly(server);
      throw new RuntimeAdapterException.Conflict(
          "host port "
              + binding
              + " is already in use by another process; free it or publish on another port",
          e);
    } catch (IOException e) {
      closeQuietly(server);
      throw new RuntimeAdapterException.Conflict(
          "cannot listen on " + binding + ": " + e.getMessage(), e);
    }
    return start(binding, server, maxConnections, connectTimeout, LINGER, onUnreachable);
  }

  /**
   * Starts accepting on {@code server}, already bound to {@code binding} (tests pass their own).
   */
  static PortProxy start(
      HostBinding binding,
      ServerSocket server,
      int maxConnections,
      Duration connectTimeout,
      Duration linger,
      Consumer<Backend> onUnreachable) {
    PortProxy proxy =
        new PortProxy(binding, server, maxConnections, connectTimeout, linger, onUnreachable);
    proxy.acceptThread.start();
    log.debug("Proxy listening on {}", binding);
    return proxy;
  }

  /** The address this proxy serves. */
  public HostBinding binding() {
    return binding;
  }

  /** Replaces the backend list atomically: new connections see only {@code backends}. */
  public void setBackends(List<Backend> backends) {
    Set<String> ids = new HashSet<>();
    List<Slot> next = new ArrayList<>(backends.size());
    for (Backend b : backends) {
      if (!ids.add(b.id())) {
        throw new IllegalArgumentException("backend " + b.id() + " is listed twice");
      }
      next.add(new Slot(b));
    }
    lock.lock();
    try {
      slots = List.copyOf(next);
    } finally {
      lock.unlock();
    }
  }

  /** The current backend list. */
  public List<Backend> backends() {
    lock.lock();
    try {
      return slots.stream().map(s -> s.backend).toList();
    } finally {
      lock.unlock();
    }
  }

  /** Connections open to backend {@code id} now. */
  public int activeConnections(String id) {
    lock.lock();
    try {
      return activeByBackend.getOrDefault(id, 0);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until backend {@code id} has no open connection. Call after removing it from the backend
   * list, so no new connection can reach it.
   *
   * @return true if it drained within {@code timeout}
   */
  public boolean drain(String id, Duration timeout) throws InterruptedException {
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      while (activeByBackend.getOrDefault(id, 0) > 0) {
        if (remaining <= 0) {
          return false;
        }
        remaining = released.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Counters since the proxy opened. */
  public Stats stats() {
    return new Stats(accepted.get(), refused.get(), failed.get(), active.get());
  }

  /** Stops accepting, closes every open connection and waits up to one second for the acceptor. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closeQuietly(server);
    for (Socket s : openSockets) {
      closeQuietly(s);
    }
    try {
      acceptThread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.debug("Proxy on {} closed; {}", binding, stats());
  }

  @Override
  public String toString() {
    return "PortProxy[" + binding + ", backends=" + backends() + ", " + stats() + "]";
  }

  /**
   * Accepts until closed. A failing accept (e.g. EMFILE when file descriptors run out, which
   * surfaces as a {@link SocketException}) is retried after a backoff of 10 ms doubling to 1 s,
   * logged at most every 10 s.
   */
  private void acceptLoop() {
    long backoffMillis = 0;
    long lastWarn = System.nanoTime() - ACCEPT_WARN_INTERVAL_NANOS;
    while (!closed.get() && !server.isClosed()) {
      try {
        Socket client = server.accept();
        backoffMillis = 0;
        accepted.incrementAndGet();
        if (!permits.tryAcquire()) {
          refused.incrementAndGet();
          closeQuietly(client);
          continue;
        }
        startConnection(client);
      } catch (Throwable t) {
        rethrowIfFatal(t);
        if (closed.get() || server.isClosed()) {
          return;
        }
        backoffMillis =
            Math.min(
                ACCEPT_BACKOFF_MAX_MILLIS, Math.max(ACCEPT_BACKOFF_MIN_MILLIS, backoffMillis * 2));
        long now = System.nanoTime();
        if (now - lastWarn >= ACCEPT_WARN_INTERVAL_NANOS) {
          lastWarn = now;
          log.warn("Proxy on {}: accept failed, retrying: {}", binding, t.toString());
        }
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException e) {
          log.warn("Proxy on {}: accept thread interrupted; stops accepting", binding);
          return;
        }
      }
    }
  }

  private void startConnection(Socket client) {
    try {
      connectionThreads.newThread(() -> serve(client)).start();
    } catch (Throwable t) {
      permits.release();
      closeQuietly(client);
      rethrowIfFatal(t);
      log.warn("Proxy on {}: cannot start a connection thread", binding, t);
    }
  }

  private void serve(Socket client) {
    active.incrementAndGet();
    openSockets.add(client);
    try {
      Set<String> tried = new HashSet<>();
      while (!closed.get()) {
        Backend backend = acquire(tried);
        if (backend == null) {
          failed.incrementAndGet();
          return;
        }
        Socket upstream = connect(backend);
        if (upstream == null) {
          release(backend.id());
          tried.add(backend.id());
          notifyUnreachable(backend);
          continue;
        }
        try {
          pipe(client, upstream);
        } finally {
          openSockets.remove(upstream);
          closeQuietly(upstream);
          release(backend.id());
        }
        return;
      }
    } catch (Throwable t) {
      rethrowIfFatal(t);
      log.debug("Proxy on {}: connection ended with {}", binding, t.toString());
    } finally {
      openSockets.remove(client);
      closeQuietly(client);
      active.decrementAndGet();
      permits.release();
    }
  }

  private @Nullable Socket connect(Backend backend) {
    Socket upstream = new Socket();
    try {
      upstream.setTcpNoDelay(true);
      upstream.connect(new InetSocketAddress(LOOPBACK, backend.port()), connectTimeoutMillis);
      openSockets.add(upstream);
      if (closed.get()) {
        closeQuietly(upstream);
      }
      return upstream;
    } catch (IOException e) {
      closeQuietly(upstream);
      log.debug("Proxy on {}: backend {} did not answer: {}", binding, backend, e.toString());
      return null;
    }
  }

  /**
   * Copies both directions until both ended. When one side ends first, the other gets {@link
   * #LINGER} to close its side too before both sockets are closed.
   */
  private void pipe(Socket client, Socket upstream) throws InterruptedException, IOException {
    client.setTcpNoDelay(true);
    CountDownLatch backendEnded = new CountDownLatch(1);
    Thread forward =
        connectionThreads.newThread(() -> {
          copy(client, upstream);
          try {
            if (!backendEnded.await(linger.toNanos(), TimeUnit.NANOSECONDS)) {
              closeQuietly(client);
              closeQuietly(upstream);
            }
          } catch (InterruptedException e) {
            closeQuietly(client);
            closeQuietly(upstream);
          }
        });
    forward.start();
    copy(upstream, client);
    backendEnded.countDown();
    if (!forward.join(linger)) {
      closeQuietly(client);
      closeQuietly(upstream);
      forward.join();
    }
  }

  /** Copies one direction until end of stream, then half-closes the other side. */
  private static void copy(Socket from, Socket to) {
    byte[] buffer = new byte[BUFFER_BYTES];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  /** Picks the next backend not in {@code exclude} and counts a connection on it, atomically. */
  private @Nullable Backend acquire(Set<String> exclude) {
    lock.lock();
    try {
      Slot best = null;
      long total = 0;
      for (Slot s : slots) {
        if (exclude.contains(s.backend.id())) {
          continue;
        }
        s.current += s.backend.weight();
        total += s.backend.weight();
        if (best == null || s.current > best.current) {
          best = s;
        }
      }
      if (best == null) {
        return null;
      }
      best.current -= total;
      activeByBackend.merge(best.backend.id(), 1, Integer::sum);
      return best.backend;
    } finally {
      lock.unlock();
    }
  }

  private void release(String id) {
    lock.lock();
    try {
      activeByBackend.computeIfPresent(id, (k, v) -> v <= 1 ? null : v - 1);
      released.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void notifyUnreachable(Backend backend) {
    try {
      onUnreachable.accept(backend);
    } catch (Throwable t) {
      rethrowIfFatal(t);
      log.warn("Proxy on {}: unreachable-backend callback failed", binding, t);
    }
  }

  private static void rethrowIfFatal(Throwable t) {
    if (t instanceof VirtualMachineError fatal) {
      throw fatal;
    }
  }

  private static void closeQuietly(@Nullable AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // Closing a socket that is already broken: nothing left to release.
    }
  }
}
