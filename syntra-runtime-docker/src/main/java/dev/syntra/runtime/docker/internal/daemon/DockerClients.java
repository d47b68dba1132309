package dev.syntra.runtime.docker.internal.daemon;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Builds the docker-java client: httpclient5 transport, Engine API 1.41 (Docker 20.10 and newer),
 * unix socket or TCP with optional TLS. No response timeout, because log and event streams stay
 * open; connecting is bounded.
 */
public final class DockerClients {
  /** How daemon-unreachable messages name the daemon (the client does not expose its URI). */
  public static final String CONFIGURED_DAEMON = "the configured DOCKER_HOST";

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_CONNECTIONS = 64;

  private DockerClients() {}

  /** The daemon to use: {@code host}, else {@code DOCKER_HOST}, else the default unix socket. */
  public static URI host(@Nullable URI host) {
    if (host != null) {
      return host;
    }
    String env = System.getenv("DOCKER_HOST");
    return URI.create(env != null && !env.isBlank() ? env : "unix:///var/run/docker.sock");
  }

  /** Whether to verify TLS: {@code tlsVerify}, else {@code DOCKER_TLS_VERIFY=1}. */
  public static boolean tlsVerify(@Nullable Boolean tlsVerify) {
    return tlsVerify != null ? tlsVerify : "1".equals(System.getenv("DOCKER_TLS_VERIFY"));
  }

  /** TLS files: {@code certPath}, else {@code DOCKER_CERT_PATH}, else {@code ~/.docker}. */
  public static Path certPath(@Nullable Path certPath) {
    if (certPath != null) {
      return certPath;
    }
    String env = System.getenv("DOCKER_CERT_PATH");
    return env != null && !env.isBlank()
        ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".docker");
  }

  /**
   * @param host {@code unix:///path} or {@code tcp://host:port}
   * @param tlsVerify verify the daemon's certificate with the files in {@code certPath}
   * @param certPath directory with {@code ca.pem}, {@code cert.pem} and {@code key.pem}
   */
  public static DockerClient create(URI host, boolean tlsVerify, Path certPath) {
    DefaultDockerClientConfig.Builder config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(host.toString())
            .withDockerTlsVerify(tlsVerify)
            .withApiVersion(RemoteApiVersion.VERSION_1_41);
    if (tlsVerify) {
      config.withDockerCertPath(certPath.toString());
    }
    DefaultDockerClientConfig cfg = config.build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(cfg.getDockerHost())
            .sslConfig(cfg.getSSLConfig())
            .maxConnections(MAX_CONNECTIONS)
            .connectionTimeout(CONNECT_TIMEOUT)
            .build();
    return DockerClientImpl.getInstance(cfg, http);
  }
}
