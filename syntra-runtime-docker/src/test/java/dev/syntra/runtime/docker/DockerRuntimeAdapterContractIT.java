package dev.syntra.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.RuntimeAdapterContract;
import dev.syntra.protocol.runtime.ServiceRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The runtime contract against the real Docker daemon, with the test images of {@code
 * scripts/engines/build-test-images.sh} from the local registry at 127.0.0.1:5000. Services are
 * reached only through the 127.0.0.1 ports the suite publishes them on. After all tests, no
 * container labelled with one of the suite's projects may be left. The adapter does not recover
 * services on start, so it never touches the published ports of other tests' services.
 */
@ExtendWith(DockerAvailable.class)
class DockerRuntimeAdapterContractIT extends RuntimeAdapterContract {
  private static final String REGISTRY = "127.0.0.1:5000/syntra-test/";
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(5);

  private Path stateDir;
  private DockerRuntimeAdapter adapter;
  private HttpClient http;

  @BeforeAll
  void startAdapter() throws IOException {
    stateDir = Files.createTempDirectory("syntra-contract-");
    // recoverOnStart(false): other tests' adapters own the published ports of their services.
    adapter = DockerRuntimeAdapter.builder().stateDir(stateDir).recoverOnStart(false).build();
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(HTTP_TIMEOUT)
            .build();
  }

  @AfterAll
  void closeAdapterAndCheckNothingIsLeft() throws IOException {
    if (adapter != null) {
      adapter.close();
    }
    if (http != null) {
      http.close();
    }
    List<String> leftovers = new ArrayList<>();
    try (DockerClient docker = DockerAvailable.client()) {
      for (ServiceRef service : allServices()) {
        for (Container c : DockerAvailable.containersOf(docker, service.project())) {
          leftovers.add(service + ": " + String.join(",", c.getNames()) + " " + c.getState());
        }
      }
    }
    allServices().forEach(service -> DockerAvailable.removeProject(service.project()));
    assertThat(leftovers).as("containers left behind by the contract suite").isEmpty();
    if (stateDir != null) {
      try (Stream<Path> files = Files.walk(stateDir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  @Override
  protected RuntimeAdapter adapter() {
    return adapter;
  }

  @Override
  protected String image(String name, String version) {
    return REGISTRY + name + ":" + version;
  }

  @Override
  protected String get(ServiceRef service, int port, String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(HTTP_TIMEOUT)
            .GET()
            .build();
    try {
      HttpResponse<String> response =
          http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            "GET " + request.uri() + " of " + service + " answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + request.uri() + " of " + service + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during GET " + request.uri(), e);
    }
  }

  @Override
  protected int freeHostPort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }
}
