package dev.syntra.runtime.docker.internal.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.UnauthorizedException;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import java.net.ConnectException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

/** Error texts as the Debian 20.10 daemon sends them, mapped to typed adapter errors. */
class DockerErrorsTest {
  private static final String DAEMON = "unix:///var/run/docker.sock";
  private static final String IMAGE = "127.0.0.1:5001/private/httpd:1";

  @Test
  void unknownManifestIsImageNotFound() {
    var e =
        new NotFoundException(
            "Status 404: {\"message\":\"manifest for x:9 not found: manifest unknown\"}");

    assertThat(DockerErrors.mapPull(e, IMAGE, DAEMON))
        .isInstanceOf(RuntimeAdapterException.ImageNotFound.class)
        .hasMessageContaining(IMAGE);
  }

  @Test
  void missingCredentialsAndRefusedCredentialsAreImagePullFailed() {
    var anonymous =
        new InternalServerErrorException(
            "Status 500: {\"message\":\"Head \\\"http://127.0.0.1:5001/v2/private/httpd/manifests/1\\\":"
                + " no basic auth credentials\"}");
    var refused =
        new InternalServerErrorException(
            "Status 500: {\"message\":\"unauthorized: authentication required\"}");

    assertThat(DockerErrors.mapPull(anonymous, IMAGE, DAEMON))
        .isInstanceOf(RuntimeAdapterException.ImagePullFailed.class)
        .hasMessageContaining("requires credentials");
    assertThat(DockerErrors.mapPull(refused, IMAGE, DAEMON))
        .isInstanceOf(RuntimeAdapterException.ImagePullFailed.class)
        .hasMessageContaining("refused the credentials");
  }

  @Test
  void errorInThePullStreamIsMappedByItsText() {
    assertThat(DockerErrors.mapPull(new DockerClientException("manifest unknown"), IMAGE, DAEMON))
        .isInstanceOf(RuntimeAdapterException.ImageNotFound.class);
    assertThat(DockerErrors.mapPull(new BadRequestException("invalid tag format"), IMAGE, DAEMON))
        .isInstanceOf(RuntimeAdapterException.InvalidSpec.class);
  }

  @Test
  void allocatedPortIsConflict() {
    var e =
        new InternalServerErrorException(
            "Status 500: {\"message\":\"driver failed programming external connectivity on endpoint"
                + " x: Bind for 127.0.0.1:18999 failed: port is already allocated\"}");

    assertThat(DockerErrors.map(e, "start container x", DAEMON))
        .isInstanceOf(RuntimeAdapterException.Conflict.class)
        .hasMessageContaining("port is already allocated");
    assertThat(DockerErrors.map(new ConflictException("name in use"), "create x", DAEMON))
        .isInstanceOf(RuntimeAdapterException.Conflict.class);
  }

  @Test
  void transportFailuresAreUnavailableWithTheDaemonAddress() {
    var missingSocket = new RuntimeException(new SocketException("No such file or directory"));
    var refused = new RuntimeException(new ConnectException("Connection refused"));

    assertThat(DockerErrors.map(missingSocket, "list containers", DAEMON))
        .isInstanceOf(RuntimeAdapterException.Unavailable.class)
        .hasMessageContaining(DAEMON)
        .hasMessageContaining("No such file or directory");
    assertThat(DockerErrors.mapPull(refused, IMAGE, DAEMON))
        .isInstanceOf(RuntimeAdapterException.Unavailable.class);
  }

  @Test
  void daemonRefusalIsPermissionDenied() {
    assertThat(DockerErrors.map(new UnauthorizedException("denied"), "list containers", DAEMON))
        .isInstanceOf(RuntimeAdapterException.PermissionDenied.class);
  }
}
