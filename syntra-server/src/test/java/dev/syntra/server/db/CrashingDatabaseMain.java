package dev.syntra.server.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Run as a separate JVM by {@link DatabaseLifecycleTest}: starts the embedded database in the given
 * data directory, writes a row, says "ready" and waits to be killed (SIGKILL, so no shutdown hook
 * stops its PostgreSQL).
 */
public final class CrashingDatabaseMain {
  private CrashingDatabaseMain() {}

  public static void main(String[] args) throws Exception {
    EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(args[0]));
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE survived (id int); INSERT INTO survived VALUES (42)");
    }
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
