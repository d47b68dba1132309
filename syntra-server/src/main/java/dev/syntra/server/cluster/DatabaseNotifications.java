package dev.syntra.server.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL {@code LISTEN/NOTIFY} for the whole instance: one connection, taken from the pool for
 * as long as the instance runs, listens on every channel subscribed to; a named thread hands each
 * notification's payload to the channel's subscribers, in order. When the connection fails it is
 * replaced (backoff 0.5 s doubling to 30 s, with jitter) and the channels are listened to again.
 *
 * <p>Notifications are a latency optimisation, never the only path: those raised while the
 * connection was down are lost, so every subscriber also polls the database (the hub every second
 * for commands, deployment streams every second for events). Subscribers run on the listening
 * thread and must return quickly (hand work to their own executors); one that throws is logged and
 * the others still run. Thread-safe.
 */
@Component
public final class DatabaseNotifications implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(DatabaseNotifications.class);
  private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Duration WAIT = Duration.ofMillis(500);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final DataSource dataSource;
  private final Map<String, List<Consumer<String>>> subscribers = new ConcurrentHashMap<>();
  private final Object lifecycle = new Object();
  private volatile boolean channelsChanged;
  private volatile boolean listening;
  private volatile boolean running;
  private @Nullable Thread thread;

  DatabaseNotifications(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Calls {@code subscriber} with the payload of every notification on {@code channel} (a
   * lower-case SQL identifier), from now on. Subscriptions last as long as the instance.
   */
  public void subscribe(String channel, Consumer<String> subscriber) {
    if (!CHANNEL.matcher(channel).matches()) {
      throw new IllegalArgumentException("not a lower-case channel name: " + channel);
    }
    subscribers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(subscriber);
    channelsChanged = true;
  }

  /** Like {@link #subscribe}, for payloads that are ids (others are logged and ignored). */
  public void subscribeToIds(String channel, Consumer<UUID> subscriber) {
    subscribe(channel, payload -> uuid(channel, payload).ifPresent(subscriber));
  }

  /** Whether the listening connection is up (and listening on every subscribed channel). */
  public boolean listening() {
    return listening && !channelsChanged;
  }

  @Override
  public void start() {
    synchronized (lifecycle) {
      if (running) {
        return;
      }
      running = true;
      thread = Thread.ofPlatform().name("syntra-db-notifications").daemon().start(this::run);
    }
  }

  @Override
  public void stop() {
    Thread t;
    synchronized (lifecycle) {
      running = false;
      t = thread;
      thread = null;
    }
    if (t != null) {
      try {
        t.join(WAIT.multipliedBy(4).toMillis()); // it notices within one WAIT
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void run() {
    Duration backoff = FIRST_BACKOFF;
    while (running) {
      try (Connection connection = dataSource.getConnection()) {
        listenOn(connection);
        backoff = FIRST_BACKOFF;
        receive(connection);
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn(
            "Listening for database notifications failed ({}); reconnecting in {} ms",
            e.toString(),
            backoff.toMillis());
      } finally {
        listening = false;
      }
      if (!pause(backoff)) {
        return;
      }
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
  }

  private void listenOn(Connection connection) throws SQLException {
    connection.setAutoCommit(true);
    channelsChanged = false;
    try (Statement statement = connection.createStatement()) {
      for (String channel : subscribers.keySet()) {
        statement.execute("LISTEN " + channel); // a checked identifier, see subscribe
      }
    }
    listening = true;
  }

  private void receive(Connection connection) throws SQLException {
    PGConnection pg = connection.unwrap(PGConnection.class);
    while (running) {
      if (channelsChanged) {
        listenOn(connection);
      }
      PGNotification[] notifications = pg.getNotifications((int) WAIT.toMillis());
      if (notifications == null) {
        continue;
      }
      for (PGNotification notification : notifications) {
        dispatch(notification.getName(), notification.getParameter());
      }
    }
  }

  private void dispatch(String channel, String payload) {
    for (Consumer<String> subscriber : subscribers.getOrDefault(channel, List.of())) {
      try {
        subscriber.accept(payload);
      } catch (Throwable t) {
        if (t instanceof VirtualMachineError fatal) {
          throw fatal;
        }
        log.warn("A subscriber of database notifications on {} failed", channel, t);
      }
    }
  }

  private boolean pause(Duration backoff) {
    long jitter = ThreadLocalRandom.current().nextLong(backoff.toMillis() / 4 + 1);
    try {
      Thread.sleep(backoff.toMillis() + jitter);
      return running;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Optional<UUID> uuid(String channel, String payload) {
    try {
      return Optional.of(UUID.fromString(payload));
    } catch (IllegalArgumentException e) {
      log.warn("Ignored a notification on {} whose payload is not an id", channel);
      return Optional.empty();
    }
  }
}
