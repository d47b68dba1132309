package dev.syntra.runtime.docker;

import static dev.syntra.runtime.docker.DockerAvailable.HTTPD_1;
import static dev.syntra.runtime.docker.DockerAvailable.HTTPD_2;

import dev.syntra.protocol.runtime.DeployResult;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.DeployStrategy;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.HostBinding;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.ServiceRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Median time from {@code deploy()} to a healthy, serving new version, per strategy: 5 updates of a
 * 2-replica busybox httpd service (local registry, image already present, default HTTP health
 * check) published on 127.0.0.1, alternating httpd:1 and httpd:2. CANARY measures until the canary
 * takes its share (then it is promoted, unmeasured). Not a {@code *IT}: run it explicitly with
 *
 * <pre>
 * mvn -pl syntra-protocol,syntra-runtime-docker verify -Dit.test=DeployBenchmark \
 *     -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true
 * </pre>
 */
@ExtendWith(DockerAvailable.class)
class DeployBenchmark {
  private static final int RUNS = 5;

  @Test
  void medianTimeFromDeployToHealthyPerStrategy() throws Exception {
    Map<String, List<Duration>> results = new LinkedHashMap<>();
    Path stateDir = Files.createTempDirectory("syntra-bench");
    try (DockerRuntimeAdapter adapter =
        DockerRuntimeAdapter.builder()
            .stateDir(stateDir)
            .traefikReloadDelay(Duration.ZERO)
            .recoverOnStart(false)
            .build()) {
      List<Duration> first = new ArrayList<>();
      for (DeployStrategy strategy : DeployStrategy.values()) {
        String project = DockerAvailable.uniqueProject();
        ServiceRef service = new ServiceRef("k3x9a2", project, "bench");
        int port = DockerAvailable.freePort();
        try {
          first.add(adapter.deploy(spec(service, port, "first", HTTPD_1, strategy)).elapsed());
          List<Duration> runs = new ArrayList<>();
          for (int i = 0; i < RUNS; i++) {
            String image = i % 2 == 0 ? HTTPD_2 : HTTPD_1;
            DeployResult r = adapter.deploy(spec(service, port, "run" + i, image, strategy));
            runs.add(r.elapsed());
            if (strategy == DeployStrategy.CANARY) {
              adapter.promoteCanary(service);
            }
          }
          results.put(strategy.name(), runs);
        } finally {
          adapter.stop(service);
          DockerAvailable.removeProject(project);
        }
      }
      results.put("first deploy (any strategy)", first);
    }
    System.out.println("| strategy | median (ms) | min (ms) | max (ms) | runs |");
    System.out.println("|---|---:|---:|---:|---:|");
    results.forEach((name, runs) -> {
      List<Long> ms = runs.stream().map(Duration::toMillis).sorted().toList();
      System.out.printf(
          "| %s | %d | %d | %d | %d |%n",
          name, ms.get(ms.size() / 2), ms.get(0), ms.get(ms.size() - 1), ms.size());
    });
  }

  private static DeploySpec spec(
      ServiceRef service, int port, String id, String image, DeployStrategy strategy) {
    return DeploySpec.builder(DockerAvailable.deploymentId(id), service, image)
        .replicas(2)
        .port(PortMapping.tcp(8080, HostBinding.loopback(port)))
        .healthCheck(HealthCheck.http("/health", 8080))
        .strategy(strategy)
        .build();
  }
}
