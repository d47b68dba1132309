package dev.syntra.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.RuntimeAdapterProvider;
import dev.syntra.protocol.runtime.RuntimeEnvironment;
import dev.syntra.runtime.docker.internal.daemon.DockerClients;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Lets the agent find the Docker runtime with {@link java.util.ServiceLoader}. Available when the
 * daemon at {@code DOCKER_HOST} (default {@code unix:///var/run/docker.sock}) answers a ping within
 * two seconds. The adapter keeps its state (deploy history, Traefik files) in the agent's state
 * directory for it.
 */
public final class DockerRuntimeProvider implements RuntimeAdapterProvider {
  private static final long PING_TIMEOUT_MILLIS = 2_000;

  @Override
  public String runtimeName() {
    return "docker";
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public Detection detect(RuntimeEnvironment environment) {
    URI host = host(environment);
    if ("unix".equals(host.getScheme()) && !Files.exists(Path.of(host.getPath()))) {
      return Detection.unavailable("no Docker socket at " + host.getPath());
    }
    boolean tls = environment.setting("DOCKER_TLS_VERIFY").map("1"::equals).orElse(false);
    Path certs =
        DockerClients.certPath(environment.setting("DOCKER_CERT_PATH").map(Path::of).orElse(null));
    try (DockerClient client = DockerClients.create(host, tls, certs)) {
      CompletableFuture<Void> ping = CompletableFuture.runAsync(() -> client.pingCmd().exec());
      ping.get(PING_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      return Detection.available("Docker daemon at " + host + " answers");
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return Detection.unavailable(
          "the Docker daemon at " + host + " does not answer: " + cause.getMessage());
    }
  }

  /** Name or id of the Traefik container to connect to every project network (optional). */
  static final String TRAEFIK_CONTAINER = "SYNTRA_DOCKER_TRAEFIK_CONTAINER";

  @Override
  public RuntimeAdapter create(RuntimeEnvironment environment) {
    DockerRuntimeAdapterBuilder builder =
        DockerRuntimeAdapter.builder()
            .dockerHost(host(environment))
            .stateDir(environment.stateDir());
    environment.setting("DOCKER_TLS_VERIFY").ifPresent(v -> builder.tlsVerify("1".equals(v)));
    environment.setting("DOCKER_CERT_PATH").map(Path::of).ifPresent(builder::certPath);
    environment.setting(TRAEFIK_CONTAINER).ifPresent(builder::traefikContainer);
    return builder.build();
  }

  private static URI host(RuntimeEnvironment environment) {
    return URI.create(environment.setting("DOCKER_HOST").orElse("unix:///var/run/docker.sock"));
  }
}
