package dev.syntra.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.Api;
import dev.syntra.server.ServerSettings;
import dev.syntra.server.ServerTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class AgentDownloadsTest extends ServerTestSupport {
  @Autowired private ServerSettings settings;

  @Test
  void servesTheInstallerAndTarballWithoutATokenAndExplainsWhenTheyAreMissing() throws Exception {
    Api anonymous = api.as(null);
    Path dist = settings.dataDir().resolve("agent-dist");
    Files.deleteIfExists(dist.resolve("install.sh"));

    Api.Response missing = anonymous.get("/install.sh");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.text())
        .contains("agent_distribution_missing")
        .contains("SYNTRA_AGENT_DIST_DIR");

    Files.createDirectories(dist);
    Files.writeString(dist.resolve("install.sh"), "#!/bin/sh\necho installer\n");
    Files.write(dist.resolve("syntra-agent-0.1.0-linux-x86_64.tar.gz"), new byte[] {31, -117, 8});
    Api.Response installer = anonymous.get("/install.sh");
    assertThat(installer.status()).isEqualTo(200);
    assertThat(installer.text()).contains("echo installer");
    assertThat(installer.header("Content-Type")).startsWith("text/x-shellscript");
    Api.Response tarball = anonymous.get("/downloads/syntra-agent-linux-x86_64.tar.gz");
    assertThat(tarball.status()).isEqualTo(200);
    assertThat(tarball.header("Content-Type")).isEqualTo("application/gzip");

    // Any other download stays behind authentication, and unknown architectures are not served.
    assertThat(anonymous.get("/downloads/syntra-agent-linux-sparc.tar.gz").status()).isEqualTo(401);
    assertThat(
            api.as(ServerTestSupport.BOOTSTRAP_TOKEN)
                .get("/downloads/syntra-agent-linux-aarch64.tar.gz")
                .status())
        .isEqualTo(404);
  }
}
