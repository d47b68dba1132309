package dev.syntra.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.Scope;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * With no operator allow-list (the default), nobody publishes beyond loopback or below the port
 * floor, adds capabilities beyond the default set, or allows new privileges: not even an owner.
 */
class PrivilegedChangesApiTest extends ServerTestSupport {
  private Api owner;
  private Api developer;
  private String projectId;
  private int services;

  @BeforeEach
  void setUp() {
    Tenants.Member org = tenants.newOrganization();
    owner = api.as(org.token());
    developer = api.as(tenants.newMember(org, Role.DEVELOPER, EnumSet.allOf(Scope.class)).token());
    projectId = owner.post("/api/v1/projects", Map.of("name", "p")).json().get("id").stringValue();
  }

  @Test
  void servicesAreConfinedByDefault() {
    Api.Response created = create(developer, Map.of());
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode security = created.json().get("security");
    assertThat(security.get("no_new_privileges").booleanValue()).isTrue();
    assertThat(security.get("cap_drop").toString()).isEqualTo("[\"ALL\"]");
    assertThat(security.get("cap_add").toString()).contains("CHOWN", "NET_BIND_SERVICE");

    // Confining further is anyone's right: drop a default capability.
    String id = created.json().get("id").stringValue();
    Api.Response narrower =
        developer.patch(
            "/api/v1/services/" + id, Map.of("security", Map.of("cap_add", List.of("SETUID"))));
    assertThat(narrower.status()).as(narrower.toString()).isEqualTo(200);
    assertThat(narrower.json().get("security").get("cap_add").toString()).isEqualTo("[\"SETUID\"]");
    assertThat(narrower.json().get("security").get("no_new_privileges").booleanValue()).isTrue();
  }

  @Test
  void publishingBeyondLoopbackOrBelowTheFloorNeedsTheOperator() {
    for (Api caller : List.of(owner, developer)) {
      Api.Response anyAddress =
          create(caller, Map.of("publish", Map.of("host_ip", "0.0.0.0", "host_port", 18080)));
      assertThat(anyAddress.status()).as(anyAddress.toString()).isEqualTo(422);
      assertThat(anyAddress.json().get("code").stringValue()).isEqualTo("not_allowed_by_operator");
      assertThat(paths(anyAddress)).containsExactly("$.publish.host_ip");
      assertThat(anyAddress.text()).contains("SYNTRA_PUBLISH_ALLOWED_HOST_IPS");

      Api.Response lowPort =
          create(caller, Map.of("publish", Map.of("host_ip", "127.0.0.1", "host_port", 80)));
      assertThat(lowPort.status()).isEqualTo(422);
      assertThat(paths(lowPort)).containsExactly("$.publish.host_port");
      assertThat(lowPort.text()).contains("SYNTRA_PUBLISH_ALLOWED_PORTS");
    }
    // Loopback above the floor stays a developer's choice, in both IP families.
    assertThat(
            create(developer, Map.of("publish", Map.of("host_ip", "::1", "host_port", 18081)))
                .status())
        .isEqualTo(201);
    assertThat(create(developer, Map.of("publish", Map.of("host_port", 18082))).status())
        .isEqualTo(201);
  }

  @Test
  void capabilitiesBeyondTheDefaultsNeedTheOperator() {
    Api.Response added =
        create(owner, Map.of("security", Map.of("cap_add", List.of("CHOWN", "NET_ADMIN"))));
    assertThat(added.status()).as(added.toString()).isEqualTo(422);
    assertThat(paths(added)).containsExactly("$.security.cap_add");
    assertThat(added.text()).contains("NET_ADMIN").contains("SYNTRA_ALLOWED_CAPABILITIES");

    // Not dropping ALL keeps the runtime's own defaults (NET_RAW, MKNOD, ...): refused as well.
    Api.Response keepAll = create(owner, Map.of("security", Map.of("cap_drop", List.of())));
    assertThat(keepAll.status()).isEqualTo(422);
    assertThat(paths(keepAll)).containsExactly("$.security.cap_drop");
    assertThat(keepAll.text()).contains("NET_RAW");

    Api.Response privileges = create(owner, Map.of("security", Map.of("no_new_privileges", false)));
    assertThat(privileges.status()).isEqualTo(422);
    assertThat(paths(privileges)).containsExactly("$.security.no_new_privileges");
    assertThat(privileges.text()).contains("SYNTRA_ALLOW_NEW_PRIVILEGES");
  }

  @Test
  void badSecurityObjectsAreRefusedWithFieldPaths() {
    Api.Response response =
        create(
            developer,
            Map.of(
                "security",
                Map.of(
                    "cap_add",
                    List.of("CAP_NET_ADMIN", "chown"),
                    "cap_drop",
                    "ALL",
                    "no_new_privileges",
                    "yes",
                    "privileged",
                    true)));
    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    assertThat(paths(response))
        .contains(
            "$.security.cap_add[0]",
            "$.security.cap_add[1]",
            "$.security.cap_drop",
            "$.security.no_new_privileges",
            "$.security.privileged");
  }

  private Api.Response create(Api caller, Map<String, Object> extra) {
    Map<String, Object> body = new java.util.HashMap<>(extra);
    body.put("name", "s" + services++);
    body.put("image", "nginx:1.27");
    body.put("port", 80);
    return caller.post("/api/v1/projects/" + projectId + "/services", body);
  }

  static Set<String> paths(Api.Response response) {
    Set<String> paths = new HashSet<>();
    response.json().get("errors").forEach(e -> paths.add(e.get("path").stringValue()));
    return paths;
  }
}
