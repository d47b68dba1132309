package dev.syntra.server.secret;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.crypto.SecretBox;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Only ciphertext reaches the database: after a secret goes through every env operation (JSON and
 * dotenv writes, references, reveals, exports, resolution, key rotation, webhook events), it
 * appears in no column of any table the application can read, neither as text nor base64 nor hex
 * nor raw bytes. The scan lists the columns from {@code information_schema}, so tables added later
 * are scanned too.
 */
class EnvPlaintextTest extends ServerTestSupport {
  @Autowired private SecretBox box;

  private record Column(String table, String name, String type) {}

  @Test
  void envVarPlaintextAppearsNowhereInTheDatabase() {
    EnvFixture shop = new EnvFixture(api, tenants, "web", "api");
    shop.webhook(tenancy, box, "whsec-" + UUID.randomUUID());
    String secret = "plaintext-" + UUID.randomUUID();
    Api client = shop.client;

    shop.put(shop.serviceEnv("web"), Map.of("SECRET", secret, "COPY", "${{service.SECRET}}"));
    assertThat(
            client
                .send("PUT", shop.projectEnv(), "SHARED=\"" + secret + "\"\n", "text/plain")
                .status())
        .isEqualTo(200);
    shop.put(shop.serviceEnv("api"), Map.of("FROM_WEB", "${{web.SECRET}}", "GONE", secret));
    assertThat(client.delete(shop.serviceEnv("api") + "/GONE").status()).isEqualTo(204);
    assertThat(client.get(shop.serviceEnv("web") + "?reveal=true").text()).contains(secret);
    assertThat(client.get(shop.projectEnv() + "?format=dotenv&reveal=true").text())
        .contains(secret);
    assertThat(client.get("/api/v1/services/" + shop.service("api") + "/env/resolved").text())
        .contains(secret);
    assertThat(
            client
                .post("/api/v1/organizations/" + shop.owner.orgId() + "/keys/rotate", null)
                .status())
        .isEqualTo(200);
    shop.put(shop.serviceEnv("web"), Map.of("AFTER_ROTATION", secret));

    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    List<String> needles =
        List.of(
            secret,
            Base64.getEncoder().withoutPadding().encodeToString(bytes),
            Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
            HexFormat.of().formatHex(bytes));
    List<String> scanned = new ArrayList<>();
    List<String> found = new ArrayList<>();
    tenancy.inOrg(
        shop.owner.orgId(),
        shop.owner.userId(),
        h -> {
          for (Column column : columns(h)) {
            scanned.add(column.table() + "." + column.name());
            for (String needle : needles) {
              if (contains(h, column, needle)) {
                found.add(column.table() + "." + column.name() + " holds " + needle);
              }
            }
          }
          return null;
        });
    assertThat(scanned)
        .contains(
            "env_vars.ciphertext",
            "env_vars.key",
            "audit_log.details",
            "webhook_deliveries.payload",
            "webhooks.secret_ciphertext");
    assertThat(found).as("plaintext found in %d scanned columns", scanned.size()).isEmpty();
    System.out.printf(
        "plaintext scan: %d columns, %d encodings, no match%n", scanned.size(), needles.size());

    // The scanner finds what is there: the key names are in the audit log and the deliveries.
    String key = "AFTER_ROTATION";
    tenancy.inOrg(
        shop.owner.orgId(),
        null,
        h -> {
          assertThat(contains(h, new Column("audit_log", "details", "jsonb"), key)).isTrue();
          assertThat(contains(h, new Column("webhook_deliveries", "payload", "jsonb"), key))
              .isTrue();
          assertThat(contains(h, new Column("env_vars", "key", "text"), key)).isTrue();
          return null;
        });
  }

  private static List<Column> columns(Handle h) {
    return h.createQuery(
            "SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c"
                + " JOIN information_schema.tables t ON t.table_schema = c.table_schema"
                + " AND t.table_name = c.table_name"
                + " WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'"
                + " ORDER BY c.table_name, c.ordinal_position")
        .map((rs, ctx) -> new Column(rs.getString(1), rs.getString(2), rs.getString(3)))
        .list();
  }

  /** Whether any visible row holds {@code needle} in the column, as text or (bytea) as bytes. */
  private static boolean contains(Handle h, Column column, String needle) {
    String ref = "\"" + column.name() + "\"";
    String condition =
        column.type().equals("bytea")
            ? "position(convert_to(:needle, 'UTF8') IN "
                + ref
                + ") > 0"
                + " OR strpos(CAST("
                + ref
                + " AS text), :needle) > 0"
            : "strpos(CAST(" + ref + " AS text), :needle) > 0";
    return h.createQuery("SELECT count(*) FROM \"" + column.table() + "\" WHERE " + condition)
            .bind("needle", needle)
            .mapTo(Long.class)
            .one()
        > 0;
  }
}
