package dev.syntra.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A host name belongs to one service in the whole installation, whatever the organization. */
class DomainClaimsApiTest extends ServerTestSupport {
  private Tenant alice;
  private Tenant bob;
  private String zone;

  /** An organization's client and one of its projects. */
  private record Tenant(Tenants.Member owner, Api client, String projectId) {
    Api.Response create(String name, List<String> domains) {
      return client.post(
          "/api/v1/projects/" + projectId + "/services",
          Map.of("name", name, "image", "nginx:1.27", "port", 80, "domains", domains));
    }
  }

  @BeforeEach
  void setUp() {
    alice = tenant();
    bob = tenant();
    zone = "z" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
  }

  @Test
  void aHostHeldByAnotherOrganizationIsTakenWithoutSayingByWhom() {
    assertThat(alice.create("web", List.of("shop." + zone)).status()).isEqualTo(201);
    Api.Response taken = bob.create("web", List.of("shop." + zone));
    assertThat(taken.status()).as(taken.toString()).isEqualTo(409);
    assertThat(taken.json().get("code").stringValue()).isEqualTo("domain_taken");
    assertThat(taken.text())
        .contains("shop." + zone)
        .doesNotContain(alice.owner().orgId().toString())
        .doesNotContain(alice.projectId());

    // A PATCH adding the host is refused the same way, and changes nothing.
    String bobWeb = bob.create("web", List.of("other." + zone)).json().get("id").stringValue();
    Api.Response patched =
        bob.client()
            .patch("/api/v1/services/" + bobWeb, Map.of("domains", List.of("shop." + zone)));
    assertThat(patched.status()).isEqualTo(409);
    assertThat(patched.json().get("code").stringValue()).isEqualTo("domain_taken");
    assertThat(bob.client().get("/api/v1/services/" + bobWeb).json().get("domains").toString())
        .contains("other." + zone);
    // Not even another service of the same organization may share it.
    assertThat(alice.create("copy", List.of("shop." + zone)).status()).isEqualTo(409);
  }

  @Test
  void namesAreNormalizedBeforeTheyAreClaimed() {
    Api.Response created = alice.create("web", List.of("Shop." + zone.toUpperCase() + "."));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.json().get("domains").get(0).stringValue()).isEqualTo("shop." + zone);
    assertThat(bob.create("web", List.of("shop." + zone)).status()).isEqualTo(409);
    assertThat(bob.create("web", List.of("SHOP." + zone + ".")).status()).isEqualTo(409);
    // Repeats within one list are one claim.
    Api.Response twice = bob.create("api", List.of("api." + zone, "API." + zone + "."));
    assertThat(twice.status()).as(twice.toString()).isEqualTo(201);
    assertThat(twice.json().get("domains")).hasSize(1);
  }

  @Test
  void wildcardsAndExactNamesOfOneZoneNeverBelongToTwoOrganizations() {
    assertThat(alice.create("catchall", List.of("*." + zone)).status()).isEqualTo(201);
    // The same wildcard twice, and an exact name under another organization's wildcard.
    assertThat(bob.create("catchall", List.of("*." + zone)).status()).isEqualTo(409);
    assertThat(bob.create("app", List.of("app." + zone)).status()).isEqualTo(409);
    // Within one organization the exact name may sit under its own wildcard (it routes first).
    assertThat(alice.create("app", List.of("app." + zone)).status()).isEqualTo(201);
    // A wildcard covers one label: deeper zones and the apex are other names.
    assertThat(bob.create("deep", List.of("x.app." + zone, "*.app." + zone)).status())
        .isEqualTo(201);
    assertThat(bob.create("apex", List.of(zone)).status()).isEqualTo(201);

    // The reverse: a wildcard over a name another organization holds exactly.
    String other = "y" + zone;
    assertThat(bob.create("exact", List.of("www." + other)).status()).isEqualTo(201);
    Api.Response wildcard = alice.create("wild", List.of("*." + other));
    assertThat(wildcard.status()).isEqualTo(409);
    assertThat(wildcard.json().get("code").stringValue()).isEqualTo("domain_taken");
  }

  @Test
  void claimsAreReleasedWithTheDomainTheServiceAndTheProject() {
    String web =
        alice.create("web", List.of("a." + zone, "b." + zone)).json().get("id").stringValue();
    alice.create("api", List.of("c." + zone));

    // Removing a domain releases it; the others stay claimed.
    alice.client().patch("/api/v1/services/" + web, Map.of("domains", List.of("b." + zone)));
    assertThat(bob.create("s1", List.of("a." + zone)).status()).isEqualTo(201);
    assertThat(bob.create("s2", List.of("b." + zone)).status()).isEqualTo(409);

    // Deleting the service releases the rest.
    assertThat(alice.client().delete("/api/v1/services/" + web).status()).isEqualTo(204);
    assertThat(bob.create("s3", List.of("b." + zone)).status()).isEqualTo(201);

    // Deleting the project releases the names of its services.
    assertThat(bob.create("s4", List.of("c." + zone)).status()).isEqualTo(409);
    Api.Response deleted = alice.client().delete("/api/v1/projects/" + alice.projectId());
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
    assertThat(bob.create("s5", List.of("c." + zone)).status()).isEqualTo(201);

    // Clearing the list with an empty one releases everything the service held.
    String s5 = bob.create("s6", List.of("d." + zone)).json().get("id").stringValue();
    bob.client().patch("/api/v1/services/" + s5, Map.of("domains", List.of()));
    assertThat(tenant().create("again", List.of("d." + zone)).status()).isEqualTo(201);
  }

  @Test
  void twoOrganizationsRacingForOneHostLeaveExactlyOneWinner() throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      for (int round = 0; round < 10; round++) {
        String host = "race" + round + "." + zone;
        String name = "r" + round;
        List<Integer> statuses =
            race(
                pool,
                () -> alice.create(name, List.of(host)),
                () -> bob.create(name, List.of(host)));
        assertThat(statuses).as("round %d", round).containsExactlyInAnyOrder(201, 409);
      }
    }
  }

  @Test
  void aWildcardAndANameUnderItRacingFromTwoOrganizationsLeaveOneWinner() throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      for (int round = 0; round < 10; round++) {
        String parent = "w" + round + "." + zone;
        String name = "r" + round;
        List<Integer> statuses =
            race(
                pool,
                () -> alice.create(name, List.of("*." + parent)),
                () -> bob.create(name, List.of("app." + parent)));
        assertThat(statuses).as("round %d", round).containsExactlyInAnyOrder(201, 409);
      }
    }
  }

  /** Sends both requests at once (released together) and answers their statuses. */
  private static List<Integer> race(
      ExecutorService pool, Supplier<Api.Response> first, Supplier<Api.Response> second)
      throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    CompletableFuture<Integer> a =
        CompletableFuture.supplyAsync(() -> await(start, first).status(), pool);
    CompletableFuture<Integer> b =
        CompletableFuture.supplyAsync(() -> await(start, second).status(), pool);
    start.countDown();
    return List.of(a.get(), b.get());
  }

  private static Api.Response await(CountDownLatch start, Supplier<Api.Response> request) {
    try {
      start.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return request.get();
  }

  private Tenant tenant() {
    Tenants.Member owner = tenants.newOrganization();
    Api client = api.as(owner.token());
    Map<String, Object> project = new HashMap<>();
    project.put("name", "shop");
    String projectId = client.post("/api/v1/projects", project).json().get("id").stringValue();
    return new Tenant(owner, client, projectId);
  }
}
