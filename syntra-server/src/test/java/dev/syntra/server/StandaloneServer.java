package dev.syntra.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole server started the way {@code scripts/run.sh} starts it, for restart and database tests.
 */
public final class StandaloneServer implements AutoCloseable {
  private final ConfigurableApplicationContext context;

  private StandaloneServer(ConfigurableApplicationContext context) {
    this.context = context;
  }

  /**
   * Starts on a random port with the given {@code SYNTRA_*} settings, passed as command-line
   * arguments so they win over system properties other tests in this JVM may have set.
   */
  public static StandaloneServer start(Map<String, String> settings) {
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    args.add("--SYNTRA_HUB_PORT=0");
    args.add("--SYNTRA_HUB_BIND=127.0.0.1");
    settings.forEach((key, value) -> args.add("--" + key + "=" + value));
    return new StandaloneServer(
        new SpringApplicationBuilder(SyntraServerApplication.class)
            .run(args.toArray(String[]::new)));
  }

  public Api api(String token) {
    return new Api("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"))
        .as(token);
  }

  /** A bean of the running server, for assertions on its state and test fixtures. */
  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  @Override
  public void close() {
    context.close();
  }
}
