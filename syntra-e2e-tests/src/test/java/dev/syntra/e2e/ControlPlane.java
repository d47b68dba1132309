package dev.syntra.e2e;

import dev.syntra.server.SyntraServerApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The reference control plane, in this JVM, with its embedded PostgreSQL in {@code dataDir}, on
 * fixed loopback ports so it can be stopped and started again (the agent reconnects to the same hub
 * address and pins the same CA, which lives in the data dir).
 */
final class ControlPlane implements AutoCloseable {
  static final String ADMIN_TOKEN = "syn_pat_EndToEndBootstrapToken0123456789abcXY";

  private final Map<String, String> settings = new LinkedHashMap<>();
  private final int httpPort;
  private final int hubPort;
  private @Nullable ConfigurableApplicationContext context;

  ControlPlane(Path dataDir) {
    this.httpPort = freePort();
    this.hubPort = freePort();
    settings.put("server.port", String.valueOf(httpPort));
    settings.put("server.address", "127.0.0.1");
    settings.put("SYNTRA_DATA_DIR", dataDir.toString());
    settings.put("SYNTRA_PUBLIC_URL", "http://127.0.0.1:" + httpPort);
    settings.put("SYNTRA_BOOTSTRAP_TOKEN", ADMIN_TOKEN);
    settings.put("SYNTRA_HUB_BIND", "127.0.0.1");
    settings.put("SYNTRA_HUB_PORT", String.valueOf(hubPort));
    settings.put("SYNTRA_AGENT_HEARTBEAT_INTERVAL", "1s");
    settings.put("SYNTRA_AGENT_OFFLINE_AFTER", "5s");
    settings.put("SYNTRA_RATE_LIMIT_FREE", "1000000");
    settings.put("SYNTRA_WEBHOOK_DELIVERY", "false");
  }

  ControlPlane start() {
    List<String> args = new ArrayList<>();
    settings.forEach((key, value) -> args.add("--" + key + "=" + value));
    context =
        new SpringApplicationBuilder(SyntraServerApplication.class)
            .run(args.toArray(String[]::new));
    return this;
  }

  /** Stops the server as a crash would look to the agent: its links drop at once. */
  void stop() {
    if (context != null) {
      context.close();
      context = null;
    }
  }

  Rest rest() {
    return new Rest("http://127.0.0.1:" + httpPort, ADMIN_TOKEN);
  }

  String hubUrl() {
    return "wss://127.0.0.1:" + hubPort + "/agent/v1";
  }

  @Override
  public void close() {
    stop();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }
}
