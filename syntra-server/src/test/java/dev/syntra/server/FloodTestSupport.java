package dev.syntra.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A server of its own with small flood limits (hub and HTTP connection caps, hello and
 * unauthenticated request budgets, a short HTTP header deadline), shared by the tests of those
 * limits. Each test talks from a loopback address of its own ({@link #loopback}), so the
 * per-address limits of one test never touch another.
 */
public abstract class FloodTestSupport extends ServerTestSupport {
  public static final int HTTP_PER_ADDRESS = 20;
  public static final int HUB_PER_ADDRESS = 5;
  public static final int HELLO_FAILURES = 3;
  public static final int UNAUTHENTICATED = 5;

  @DynamicPropertySource
  static void floodLimits(DynamicPropertyRegistry registry) throws IOException {
    // A context of its own needs a database of its own: the shared one holds the data dir's lock.
    String dataDir = Files.createTempDirectory("syntra-flood-test").toString();
    registry.add("SYNTRA_DATA_DIR", () -> dataDir);
    registry.add("SYNTRA_HTTP_HEADER_TIMEOUT", () -> "2s");
    registry.add("SYNTRA_HTTP_MAX_CONNECTIONS", () -> "200");
    registry.add("SYNTRA_HTTP_MAX_CONNECTIONS_PER_ADDRESS", () -> HTTP_PER_ADDRESS);
    registry.add("SYNTRA_HUB_MAX_CONNECTIONS_PER_ADDRESS", () -> HUB_PER_ADDRESS);
    registry.add("SYNTRA_HUB_HELLO_FAILURES_PER_MINUTE", () -> HELLO_FAILURES);
    registry.add("SYNTRA_RATE_LIMIT_UNAUTHENTICATED", () -> UNAUTHENTICATED);
  }

  /** {@code 127.0.0.<last>}: every loopback address reaches the server, each counted apart. */
  protected static InetAddress loopback(int last) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
