package dev.syntra.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.syntra.server.ServerSettings;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.core.statement.StatementExceptions.MessageRendering;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Wires the database: the embedded server when {@code SYNTRA_DB_URL} is unset, migrations run as
 * the configured (owner) user, and an application pool that logs in as {@code syntra_app} (see
 * {@link ApplicationRole}) so row-level security applies to every query the application makes. The
 * owner's credentials serve only migrations and setting that role's password.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {
  private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

  /** Where to connect, as the user that owns the schema. */
  record Connection(String url, String user, @Nullable String password) {
    @Override
    public String toString() {
      return "Connection[" + url + " as " + user + "]";
    }
  }

  @Bean(destroyMethod = "close")
  @Nullable EmbeddedDatabase embeddedDatabase(ServerSettings settings) {
    return settings.embeddedDatabase() ? EmbeddedDatabase.start(settings.dataDir()) : null;
  }

  @Bean
  Connection databaseConnection(ServerSettings settings, @Nullable EmbeddedDatabase embedded) {
    if (embedded != null) {
      return new Connection(embedded.jdbcUrl(), embedded.user(), embedded.password());
    }
    String url = settings.dbUrl();
    if (url == null || !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalStateException(
          "SYNTRA_DB_URL must be a PostgreSQL JDBC URL such as"
              + " jdbc:postgresql://127.0.0.1:5432/syntra, was: "
              + url);
    }
    String user = settings.dbUser();
    if (user == null) {
      throw new IllegalStateException("SYNTRA_DB_USER must be set when SYNTRA_DB_URL is set");
    }
    return new Connection(url, user, settings.dbPassword());
  }

  @Bean(destroyMethod = "close")
  HikariDataSource applicationDataSource(Connection connection, Environment env) {
    migrate(connection);
    String password =
        ApplicationRole.prepare(connection, blankToNull(env.getProperty("SYNTRA_DB_APP_PASSWORD")));
    HikariConfig config = new HikariConfig();
    config.setPoolName("syntra-db");
    config.setJdbcUrl(connection.url());
    config.setUsername(ApplicationRole.NAME);
    config.setPassword(password);
    // Timeouts keep one tenant's stuck transaction from starving the shared pool.
    config.setConnectionInitSql(
        "SET statement_timeout = '30s'; SET lock_timeout = '5s';"
            + " SET idle_in_transaction_session_timeout = '60s'");
    config.setMaximumPoolSize(20);
    config.setMinimumIdle(2);
    return new HikariDataSource(config);
  }

  @Bean
  Jdbi jdbi(DataSource applicationDataSource) {
    Jdbi jdbi = Jdbi.create(applicationDataSource).installPlugin(new PostgresPlugin());
    // Bound parameters (token hashes, e-mails, secrets' metadata) must never reach the logs.
    jdbi.getConfig(StatementExceptions.class).setMessageRendering(MessageRendering.NONE);
    return jdbi;
  }

  @Bean
  Tenancy tenancy(Jdbi jdbi) {
    return new Tenancy(jdbi);
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static void migrate(Connection connection) {
    var result =
        Flyway.configure()
            .dataSource(connection.url(), connection.user(), connection.password())
            .locations("classpath:db/migration")
            .load()
            .migrate();
    log.info(
        "Database schema at version {} ({} migrations applied now)",
        result.targetSchemaVersion == null ? "unchanged" : result.targetSchemaVersion,
        result.migrationsExecuted);
  }
}
