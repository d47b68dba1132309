package dev.syntra.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syntra.server.ServerTestSupport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.jdbc.PgConnection;
import org.springframework.beans.factory.annotation.Autowired;

/** LISTEN/NOTIFY over the real embedded PostgreSQL, including a listening connection that dies. */
class DatabaseNotificationsTest extends ServerTestSupport {
  @Autowired private DatabaseNotifications notifications;
  @Autowired private DataSource dataSource;

  @Test
  void handsNotificationsOfOtherConnectionsToSubscribersOfTheirChannel() {
    List<String> received = new CopyOnWriteArrayList<>();
    List<UUID> ids = new CopyOnWriteArrayList<>();
    notifications.subscribe("syntra_test_text", received::add);
    notifications.subscribeToIds("syntra_test_ids", ids::add);
    await().until(notifications::listening);
    UUID id = UUID.randomUUID();

    notify("syntra_test_text", "hello");
    notify("syntra_test_ids", "not-an-id"); // ignored
    notify("syntra_test_ids", id.toString());

    await().untilAsserted(() -> assertThat(ids).containsExactly(id));
    assertThat(received).containsExactly("hello");
  }

  @Test
  void listensAgainOnANewConnectionWhenItsConnectionDies() throws Exception {
    List<Connection> handedOut = new CopyOnWriteArrayList<>();
    DataSource recording =
        (DataSource)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                  try {
                    Object result = method.invoke(dataSource, args);
                    if (result instanceof Connection connection) {
                      handedOut.add(connection);
                    }
                    return result;
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    DatabaseNotifications own = new DatabaseNotifications(recording);
    List<String> received = new CopyOnWriteArrayList<>();
    own.subscribe("syntra_test_reconnect", received::add);
    own.start();
    try {
      await().until(own::listening);
      notify("syntra_test_reconnect", "before");
      await().until(() -> received.contains("before"));

      // The physical connection goes away under the listener (a restarted or failed-over database).
      handedOut.getFirst().unwrap(PgConnection.class).close();

      // Notifications sent while no connection listens are lost (the pollers cover them): keep
      // notifying until the new connection hears one.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> {
            notify("syntra_test_reconnect", "after");
            return received.contains("after");
          });
      assertThat(handedOut).hasSizeGreaterThanOrEqualTo(2);
    } finally {
      own.stop();
    }
    assertThat(own.isRunning()).isFalse();
  }

  private void notify(String channel, String payload) {
    tenancy.withoutOrg(
        null,
        h ->
            h.createQuery("SELECT pg_notify(:channel, :payload)")
                .bind("channel", channel)
                .bind("payload", payload)
                .mapToMap()
                .one());
  }
}
