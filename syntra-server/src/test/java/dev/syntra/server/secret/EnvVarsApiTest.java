package dev.syntra.server.secret;

import static dev.syntra.server.secret.EnvFixture.paths;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.Scope;
import dev.syntra.server.crypto.SecretBox;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Env vars of services and projects over the REST API: CRUD, masking, dotenv, validation. */
class EnvVarsApiTest extends ServerTestSupport {
  @Autowired private SecretBox box;
  private EnvFixture shop;

  @BeforeEach
  void setUp() {
    shop = new EnvFixture(api, tenants, "web");
  }

  @Test
  void setsListsMasksReplacesAndDeletesServiceVars() {
    String path = shop.serviceEnv("web");
    String url = "postgres://app:pw-" + UUID.randomUUID() + "@db:5432/app";
    Api.Response put = shop.put(path, Map.of("DATABASE_URL", url, "API_KEY", "k1"));
    assertThat(put.json().get("data")).hasSize(2);
    JsonNode first = put.json().get("data").get(0);
    assertThat(first.get("key").stringValue()).isEqualTo("API_KEY");
    assertThat(first.get("value").stringValue()).isEqualTo(EnvVarView.MASK);
    assertThat(first.get("masked").booleanValue()).isTrue();
    assertThat(first.get("updated_at").stringValue()).isNotBlank();
    assertThat(put.text()).doesNotContain(url).doesNotContain("k1");

    Api.Response listed = shop.client.get(path);
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.text()).doesNotContain(url);
    assertThat(listed.json().get("data"))
        .extracting(n -> n.get("key").stringValue())
        .containsExactly("API_KEY", "DATABASE_URL");

    shop.put(path, Map.of("API_KEY", "k2"));
    assertThat(shop.revealed(path))
        .containsExactly(Map.entry("API_KEY", "k2"), Map.entry("DATABASE_URL", url));
    assertThat(shop.client.get(path + "?reveal=true").header("Cache-Control")).contains("no-store");

    Api.Response replaced =
        shop.client.put(path, Map.of("vars", Map.of("ONLY", "x"), "replace", true));
    assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
    assertThat(replaced.json().get("data"))
        .extracting(n -> n.get("key").stringValue())
        .containsExactly("ONLY");

    assertThat(shop.client.delete(path + "/ONLY").status()).isEqualTo(204);
    Api.Response again = shop.client.delete(path + "/ONLY");
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.json().get("code").stringValue()).isEqualTo("not_found");
    assertThat(shop.client.delete(path + "/not-a-key!").status()).isEqualTo(404);
    assertThat(shop.client.get(path).json().get("data")).isEmpty();
  }

  @Test
  void projectVarsAreKeptApartFromServiceVars() {
    shop.put(shop.projectEnv(), Map.of("SHARED", "p", "REGION", "eu"));
    shop.put(shop.serviceEnv("web"), Map.of("SHARED", "s"));
    assertThat(shop.revealed(shop.projectEnv()))
        .containsExactly(Map.entry("REGION", "eu"), Map.entry("SHARED", "p"));
    assertThat(shop.revealed(shop.serviceEnv("web"))).containsExactly(Map.entry("SHARED", "s"));

    assertThat(shop.client.delete(shop.projectEnv() + "/SHARED").status()).isEqualTo(204);
    assertThat(shop.revealed(shop.projectEnv())).containsOnlyKeys("REGION");
    assertThat(shop.revealed(shop.serviceEnv("web"))).containsOnlyKeys("SHARED");
    assertThat(shop.client.delete(shop.projectEnv() + "/SHARED").status()).isEqualTo(404);
  }

  @Test
  void importsAndExportsDotenv() {
    String document =
        "# exported from heroku\n"
            + "export DATABASE_URL=postgres://db:5432/app # primary\n"
            + "GREETING='it''s'\n"
            + "PEM=\"-----BEGIN KEY-----\nabc\n-----END KEY-----\"\n"
            + "QUOTE=\"say \\\"hi\\\"\"\n"
            + "EMPTY=\n";
    Api.Response imported = shop.client.send("PUT", shop.serviceEnv("web"), document, "text/plain");
    assertThat(imported.status()).as(imported.toString()).isEqualTo(400);
    assertThat(paths(imported)).containsExactly("line 3");

    document = document.replace("GREETING='it''s'", "GREETING='it\\'s'");
    imported =
        shop.client.send("PUT", shop.serviceEnv("web"), document, "text/plain; charset=utf-8");
    assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("DATABASE_URL", "postgres://db:5432/app");
    expected.put("EMPTY", "");
    expected.put("GREETING", "it's");
    expected.put("PEM", "-----BEGIN KEY-----\nabc\n-----END KEY-----");
    expected.put("QUOTE", "say \"hi\"");
    assertThat(shop.revealed(shop.serviceEnv("web"))).containsExactlyEntriesOf(expected);

    Api.Response masked = shop.client.get(shop.serviceEnv("web") + "?format=dotenv");
    assertThat(masked.status()).isEqualTo(200);
    assertThat(masked.header("Content-Type")).startsWith("text/plain");
    assertThat(masked.text())
        .startsWith("# Values are masked")
        .contains("\nDATABASE_URL=\nEMPTY=\nGREETING=\nPEM=\nQUOTE=\n")
        .doesNotContain("postgres");

    Api.Response revealed = shop.client.get(shop.serviceEnv("web") + "?format=dotenv&reveal=true");
    assertThat(revealed.status()).isEqualTo(200);
    assertThat(revealed.header("Cache-Control")).contains("no-store");
    Map<String, String> reparsed = new LinkedHashMap<>();
    Dotenv.parse(revealed.text()).forEach(e -> reparsed.put(e.key(), e.value()));
    assertThat(reparsed).containsExactlyEntriesOf(expected);

    Api.Response replaced =
        shop.client.send("PUT", shop.serviceEnv("web") + "?replace=true", "ONLY=1\n", "text/plain");
    assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
    assertThat(shop.revealed(shop.serviceEnv("web"))).containsExactly(Map.entry("ONLY", "1"));

    Api.Response project = shop.client.send("PUT", shop.projectEnv(), "A=1\nB=2\n", "text/plain");
    assertThat(project.status()).isEqualTo(200);
    assertThat(shop.client.get(shop.projectEnv() + "?format=dotenv").text()).endsWith("A=\nB=\n");
    assertThat(shop.client.get(shop.projectEnv() + "?format=yaml").status()).isEqualTo(400);
  }

  @Test
  void dotenvProblemsNameTheirLines() {
    String path = shop.serviceEnv("web");
    Api.Response syntax = shop.client.send("PUT", path, "A=1\n\nB=\"open\nC=3\n", "text/plain");
    assertThat(syntax.status()).isEqualTo(400);
    assertThat(paths(syntax)).containsExactly("line 3");
    assertThat(syntax.json().get("errors").get(0).get("message").stringValue())
        .isEqualTo("unterminated double-quoted value");

    String tooLong = "y".repeat(EnvRules.MAX_VALUE_BYTES + 1);
    Api.Response rules =
        shop.client.send(
            "PUT",
            path,
            "OK=1\nBIG=" + tooLong + "\nREF=${{web\nK" + "x".repeat(300) + "=1\n",
            "text/plain");
    assertThat(rules.status()).isEqualTo(400);
    assertThat(paths(rules)).containsExactly("line 2", "line 3", "line 4");
    assertThat(rules.text()).doesNotContain("yyyyyyyyyy");

    StringBuilder many = new StringBuilder();
    for (int i = 0; i <= EnvRules.MAX_VARS; i++) {
      many.append("V").append(i).append("=1\n");
    }
    Api.Response tooMany = shop.client.send("PUT", path, many.toString(), "text/plain");
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(paths(tooMany)).containsExactly("$");
    assertThat(shop.client.get(path).json().get("data")).isEmpty();
  }

  @Test
  void badJsonBodiesAnswer400WithPaths() {
    String path = shop.serviceEnv("web");
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("BAD-KEY", "x");
    vars.put("1X", "y");
    vars.put("NUMBER", 5);
    vars.put("BIG", "x".repeat(EnvRules.MAX_VALUE_BYTES + 1));
    vars.put("K".repeat(257), "v");
    vars.put("REF", "${{not a reference}}");
    vars.put("NUL", "a\u0000b");
    vars.put("FINE", "ok");
    Api.Response bad = shop.client.put(path, Map.of("vars", vars, "replace", "yes", "extra", 1));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("code").stringValue()).isEqualTo("invalid_request");
    assertThat(paths(bad))
        .containsExactlyInAnyOrder(
            "$.vars.BAD-KEY",
            "$.vars.1X",
            "$.vars.NUMBER",
            "$.vars.BIG",
            "$.vars." + "K".repeat(257),
            "$.vars.REF",
            "$.vars.NUL",
            "$.replace",
            "$.extra");
    assertThat(bad.text()).doesNotContain("not a reference}}");

    assertThat(paths(shop.client.put(path, Map.of()))).containsExactly("$.vars");
    assertThat(paths(shop.client.put(path, Map.of("vars", List.of("A")))))
        .containsExactly("$.vars");
    assertThat(paths(shop.client.send("PUT", path, "[]", "application/json"))).containsExactly("$");
    assertThat(shop.client.send("PUT", path, "{", "application/json").status()).isEqualTo(400);
    Api.Response replaceParam = shop.client.put(path + "?replace=true", Map.of("vars", Map.of()));
    assertThat(paths(replaceParam)).containsExactly("replace");

    Map<String, String> tooMany = new LinkedHashMap<>();
    for (int i = 0; i <= EnvRules.MAX_VARS; i++) {
      tooMany.put("V" + i, "1");
    }
    assertThat(paths(shop.client.put(path, Map.of("vars", tooMany)))).containsExactly("$.vars");
    tooMany.remove("V0");
    shop.put(path, tooMany);
    Api.Response oneMore = shop.client.put(path, Map.of("vars", Map.of("ONE_MORE", "1")));
    assertThat(paths(oneMore)).containsExactly("$.vars");
    assertThat(oneMore.json().get("errors").get(0).get("message").stringValue())
        .contains("at most 500", "would make 501");
    Api.Response replacing =
        shop.client.put(path, Map.of("vars", Map.of("ONE_MORE", "1"), "replace", true));
    assertThat(replacing.status()).isEqualTo(200);
    assertThat(replacing.json().get("data")).hasSize(1);
  }

  @Test
  void revealNeedsAnAdminAndIsAudited() {
    String path = shop.serviceEnv("web");
    String secret = "reveal-" + UUID.randomUUID();
    shop.put(path, Map.of("TOKEN", secret));
    Api developer =
        api.as(tenants.newMember(shop.owner, Role.DEVELOPER, EnumSet.allOf(Scope.class)).token());
    Api adminWithoutScope =
        api.as(tenants.newMember(shop.owner, Role.ADMIN, Set.of(Scope.READ, Scope.WRITE)).token());
    Api admin = api.as(tenants.newMember(shop.owner, Role.ADMIN, Set.of(Scope.ADMIN)).token());

    for (Api refused : List.of(developer, adminWithoutScope)) {
      for (String query : List.of("?reveal=true", "?reveal=true&format=dotenv")) {
        Api.Response response = refused.get(path + query);
        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.text()).doesNotContain(secret);
      }
      assertThat(refused.get("/api/v1/services/" + shop.service("web") + "/env/resolved").status())
          .isEqualTo(403);
      assertThat(refused.get(path).status()).isEqualTo(200);
    }
    assertThat(developer.put(path, Map.of("vars", Map.of("DEV", "1"))).status()).isEqualTo(200);

    Api.Response revealed = admin.get(path + "?reveal=true");
    assertThat(revealed.status()).isEqualTo(200);
    assertThat(revealed.text()).contains(secret);

    List<Map.Entry<String, String>> audit = shop.audit(tenancy);
    assertThat(audit)
        .extracting(Map.Entry::getKey)
        .containsSubsequence("env.updated", "env.updated", "env.revealed");
    assertThat(audit)
        .filteredOn(e -> e.getKey().equals("env.revealed"))
        .hasSize(1)
        .allSatisfy(e -> assertThat(e.getValue()).contains("\"keys\"", "DEV", "TOKEN"));
    assertThat(audit)
        .filteredOn(e -> e.getKey().equals("env.updated"))
        .extracting(Map.Entry::getValue)
        .containsExactly(
            "{\"keys\": [\"TOKEN\"], \"removed\": []}", "{\"keys\": [\"DEV\"], \"removed\": []}");
    assertThat(audit)
        .extracting(Map.Entry::getValue)
        .noneMatch(details -> details.contains(secret));
  }

  @Test
  void viewersCannotWriteUnlessTheProjectMakesThemDevelopers() {
    String path = shop.serviceEnv("web");
    var viewer = tenants.newMember(shop.owner, Role.VIEWER, EnumSet.allOf(Scope.class));
    Api client = api.as(viewer.token());
    assertThat(client.put(path, Map.of("vars", Map.of("A", "1"))).status()).isEqualTo(403);
    assertThat(client.send("PUT", path, "A=1\n", "text/plain").status()).isEqualTo(403);
    assertThat(client.delete(path + "/A").status()).isEqualTo(403);
    assertThat(client.get(path).status()).isEqualTo(200);

    tenancy.inOrg(
        shop.owner.orgId(),
        null,
        h ->
            h.createUpdate(
                    "INSERT INTO project_members (project_id, org_id, user_id, role)"
                        + " VALUES (:p, :o, :u, 'developer')")
                .bind("p", UUID.fromString(shop.projectId))
                .bind("o", shop.owner.orgId())
                .bind("u", viewer.userId())
                .execute());
    assertThat(client.put(path, Map.of("vars", Map.of("A", "1"))).status()).isEqualTo(200);
    assertThat(client.put(shop.projectEnv(), Map.of("vars", Map.of("A", "1"))).status())
        .isEqualTo(200);
    assertThat(client.delete(path + "/A").status()).isEqualTo(204);
    assertThat(client.get(path + "?reveal=true").status()).isEqualTo(403);
  }

  @Test
  void unchangedValuesAreNotReportedAsChanges() {
    String path = shop.serviceEnv("web");
    shop.put(path, Map.of("A", "1", "B", "2"));
    shop.put(path, Map.of("A", "1", "B", "3"));
    shop.put(path, Map.of("A", "1"));
    assertThat(shop.audit(tenancy))
        .filteredOn(e -> e.getKey().equals("env.updated"))
        .extracting(Map.Entry::getValue)
        .containsExactly(
            "{\"keys\": [\"A\", \"B\"], \"removed\": []}", "{\"keys\": [\"B\"], \"removed\": []}");
  }

  @Test
  void everyChangeEmitsAnEnvUpdatedEventWithKeysOnly() {
    shop.webhook(tenancy, box, "whsec-" + UUID.randomUUID());
    String secret = "event-" + UUID.randomUUID();
    shop.put(shop.serviceEnv("web"), Map.of("TOKEN", secret));
    shop.put(shop.serviceEnv("web"), Map.of("TOKEN", secret)); // unchanged: no event
    assertThat(shop.client.delete(shop.serviceEnv("web") + "/TOKEN").status()).isEqualTo(204);
    shop.put(shop.projectEnv(), Map.of("SHARED", secret));

    List<String> payloads =
        tenancy.inOrg(
            shop.owner.orgId(),
            null,
            h ->
                h.createQuery(
                        "SELECT payload::text FROM webhook_deliveries WHERE org_id = :org"
                            + " AND event_type = 'env.updated' ORDER BY id")
                    .bind("org", shop.owner.orgId())
                    .mapTo(String.class)
                    .list());
    assertThat(payloads).hasSize(3);
    assertThat(payloads.get(0))
        .contains(
            "\"scope\": \"service\"",
            "\"id\": \"" + shop.service("web") + "\"",
            "\"project_id\": \"" + shop.projectId + "\"",
            "\"keys\": [\"TOKEN\"]");
    assertThat(payloads.get(1)).contains("\"keys\": [\"TOKEN\"]");
    assertThat(payloads.get(2))
        .contains(
            "\"scope\": \"project\"",
            "\"id\": \"" + shop.projectId + "\"",
            "\"keys\": [\"SHARED\"]");
    assertThat(payloads).noneMatch(payload -> payload.contains(secret));
  }
}
