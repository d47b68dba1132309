package dev.syntra.server.org;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.StandaloneServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The first admin token never reaches the logs of a server that is not run from a terminal: it is
 * in {@code <dataDir>/bootstrap-token}, readable by the server's user only.
 */
@ExtendWith(OutputCaptureExtension.class)
class BootstrapTokenFileTest {
  @TempDir Path dataDir;

  @Test
  void theGeneratedTokenGoesToA0600FileAndNotToTheLogs(CapturedOutput output) throws Exception {
    try (var server = StandaloneServer.start(Map.of("SYNTRA_DATA_DIR", dataDir.toString()))) {
      Path file = dataDir.resolve("bootstrap-token");
      assertThat(file).exists();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      String token = Files.readString(file).strip();
      assertThat(token).startsWith("syn_pat_");
      assertThat(server.api(token).get("/api/v1/projects").status()).isEqualTo(200);
      assertThat(output.getAll()).doesNotContain(token).contains(file.toString());
    }
  }
}
