package dev.syntra.runtime.docker;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded HTTP load against {@code 127.0.0.1:port}: {@code clients} virtual threads each send
 * {@code GET /version} in a loop, one new connection per request ({@code Connection: close}), until
 * {@link #stopAfter} ends them. Counts requests, failures (anything but a 200 with a body) and the
 * versions seen.
 */
final class HttpLoad implements AutoCloseable {
  /** What the load saw. */
  record Result(long sent, long failed, Map<String, Long> versions, List<String> failures) {
    @Override
    public String toString() {
      return "requests sent: " + sent + ", failed: " + failed + ", versions: " + versions;
    }
  }

  private final int port;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Map<String, AtomicLong> versions = new ConcurrentHashMap<>();
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private volatile long deadlineNanos = Long.MAX_VALUE;

  private HttpLoad(int port) {
    this.port = port;
  }

  /** Starts {@code clients} request loops at once. */
  static HttpLoad start(int port, int clients) {
    HttpLoad load = new HttpLoad(port);
    for (int i = 0; i < clients; i++) {
      load.threads.add(Thread.ofVirtual().name("http-load-" + i).start(load::loop));
    }
    return load;
  }

  /** Lets the loops run for {@code extra} more, then waits for them and returns the counts. */
  Result stopAfter(Duration extra) throws InterruptedException {
    deadlineNanos = System.nanoTime() + extra.toNanos();
    for (Thread t : threads) {
      t.join();
    }
    Map<String, Long> seen = new TreeMap<>();
    versions.forEach((k, v) -> seen.put(k, v.get()));
    return new Result(sent.get(), failed.get(), seen, List.copyOf(failures));
  }

  @Override
  public void close() throws InterruptedException {
    stopAfter(Duration.ZERO);
  }

  private void loop() {
    while (System.nanoTime() - deadlineNanos < 0) {
      sent.incrementAndGet();
      try {
        String body = get(port, "/version").strip();
        versions.computeIfAbsent(body, k -> new AtomicLong()).incrementAndGet();
      } catch (IOException | RuntimeException e) {
        failed.incrementAndGet();
        if (failures.size() < 20) {
          failures.add(e.toString());
        }
      }
    }
  }

  /** One {@code GET path} on a new connection to {@code 127.0.0.1:port}; the body of a 200. */
  static String get(int port, String path) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
    c.setConnectTimeout(2000);
    c.setReadTimeout(5000);
    c.setUseCaches(false);
    c.setRequestProperty("Connection", "close");
    try {
      int code = c.getResponseCode();
      if (code != 200) {
        throw new IOException("GET " + path + " answered " + code);
      }
      try (InputStream in = c.getInputStream()) {
        String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (body.isEmpty()) {
          throw new IOException("GET " + path + " answered 200 with an empty body");
        }
        return body;
      }
    } finally {
      c.disconnect();
    }
  }

  /** {@link #get} with the body stripped, or the failure as text; for assertions. */
  static String version(int port) {
    try {
      return get(port, "/version").strip();
    } catch (IOException e) {
      return "failed: " + e;
    }
  }
}
