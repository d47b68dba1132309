package dev.syntra.protocol.runtime;

import static dev.syntra.protocol.runtime.ContractStatus.assertRunning;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;

/**
 * What a runtime's contract test supplies (the adapter, fixture images, a way to reach a service)
 * and the plumbing the tests of {@link RuntimeAdapterContract} share: fresh project slugs and
 * deployment ids, one published host port per service, specs of the fixtures, and stopping every
 * service a test created. Extend {@link RuntimeAdapterContract}, not this class.
 */
public abstract class ContractFixture {
  /** The port the fixture images serve HTTP on. */
  protected static final int HTTP_PORT = 8080;

  private final List<ServiceRef> servicesOfTest = new CopyOnWriteArrayList<>();
  private final Set<ServiceRef> allServices = ConcurrentHashMap.newKeySet();
  private final Map<ServiceRef, Integer> hostPorts = new ConcurrentHashMap<>();

  /** The adapter under test; the subclass creates it once and closes it after all tests. */
  protected abstract RuntimeAdapter adapter();

  /**
   * The reference of fixture image {@code name} at {@code version}; see {@link
   * RuntimeAdapterContract}.
   */
  protected abstract String image(String name, String version);

  /**
   * GETs {@code path} from {@code service} and returns the body of a 2xx answer; throws for
   * anything else (an error status, a refused or reset connection, a timeout of a few seconds).
   *
   * @param port the 127.0.0.1 host port the suite published the service's HTTP port on
   */
  protected abstract String get(ServiceRef service, int port, String path);

  /** A 127.0.0.1 port nothing listens on, for publishing one service. */
  protected abstract int freeHostPort();

  /** Strategies the runtime supports; each deploy and rollback test runs once per strategy. */
  protected Set<DeployStrategy> strategies() {
    return EnumSet.allOf(DeployStrategy.class);
  }

  /** Whether {@link PortMapping#publish()} binds the host port, so a taken one is a conflict. */
  protected boolean publishesHostPorts() {
    return true;
  }

  /** How long to wait for what may happen after a call returns (log lines, events). */
  protected Duration patience() {
    return Duration.ofSeconds(30);
  }

  /** The health check of every spec: a quick HTTP probe of {@code /health}. */
  protected HealthCheck healthCheck() {
    return new HealthCheck(
        HealthCheck.Type.HTTP,
        "/health",
        HTTP_PORT,
        Duration.ofMillis(200),
        Duration.ofSeconds(1),
        3,
        Duration.ZERO);
  }

  /** Every service the suite created so far, e.g. for a final check of what is left behind. */
  protected final Set<ServiceRef> allServices() {
    return Set.copyOf(allServices);
  }

  /** A service under a fresh project slug; stopped after the test. */
  protected final ServiceRef newService() {
    ServiceRef service = new ServiceRef("k3x9a2", "ct-" + random(10), "web");
    servicesOfTest.add(service);
    allServices.add(service);
    return service;
  }

  /** A fresh deployment id. */
  protected static String newDeploymentId() {
    return "ct-" + random(12);
  }

  /** The host port {@code service} is published on, chosen on first use. */
  protected final int hostPort(ServiceRef service) {
    return hostPorts.computeIfAbsent(service, s -> freeHostPort());
  }

  /**
   * A spec for {@code image}: one replica, HTTP published on {@link #hostPort}, health-checked,
   * with the {@link #defaultStrategy()} and a canary share of 50%.
   */
  protected final DeploySpec.Builder spec(ServiceRef service, String image) {
    return DeploySpec.builder(newDeploymentId(), service, image)
        .port(PortMapping.tcp(HTTP_PORT, HostBinding.loopback(hostPort(service))))
        .healthCheck(healthCheck())
        .strategy(defaultStrategy())
        .rollout(new RolloutOptions(1, 0, 50));
  }

  /** The strategy of tests not about strategies: rolling if supported. */
  protected final DeployStrategy defaultStrategy() {
    Set<DeployStrategy> supported = strategies();
    assertThat(supported).as("supported strategies").isNotEmpty();
    return supported.contains(DeployStrategy.ROLLING)
        ? DeployStrategy.ROLLING
        : supported.stream().sorted().findFirst().orElseThrow();
  }

  /** Deploys {@code httpd version} with {@code replicas} replicas and checks it runs. */
  protected final DeploySpec deployHttpd(ServiceRef service, String version, int replicas) {
    DeploySpec spec = spec(service, image("httpd", version)).replicas(replicas).build();
    assertRunning(adapter().deploy(spec).status(), spec.deploymentId(), replicas);
    return spec;
  }

  /** What {@code GET /version} answers, trimmed. */
  protected final String version(ServiceRef service) {
    return get(service, hostPort(service), "/version").trim();
  }

  @AfterEach
  protected final void stopServicesOfTheTest() {
    List<String> failures = new ArrayList<>();
    for (ServiceRef service : servicesOfTest) {
      try {
        adapter().stop(service);
      } catch (RuntimeException e) {
        failures.add(service + ": " + e);
      }
    }
    servicesOfTest.clear();
    assertThat(failures).as("stop after the test").isEmpty();
  }

  private static String random(int length) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder out = new StringBuilder(length);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
