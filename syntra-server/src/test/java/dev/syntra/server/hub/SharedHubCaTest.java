package dev.syntra.server.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.server.ServerSettings;
import dev.syntra.server.ServerTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A second instance joining the database of a running one (this test's server, whose CA is
 * recorded) must bring that CA: agents pin it.
 */
class SharedHubCaTest extends ServerTestSupport {
  @Autowired private SharedHubCa shared;
  @Autowired private HubTls tls;
  @Autowired private ServerSettings settings;

  @TempDir Path otherDataDir;

  @Test
  void anInstanceWithoutTheCaFilesRefusesToStartInsteadOfCreatingAnotherCa() {
    Path dir = otherDataDir.resolve("hub");
    assertThatThrownBy(() -> shared.beforeLoading(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(tls.caSha256().orElseThrow())
        .hasMessageContaining("copy both files");
    assertThat(dir).doesNotExist();
  }

  @Test
  void anInstanceWithAnotherCaRefusesToStartAndOneWithTheCopiedCaStarts() throws Exception {
    Path dir = Files.createDirectories(otherDataDir.resolve("hub"));
    assertThatThrownBy(() -> shared.loaded(dir, "0".repeat(64)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is not the one the other instances");

    for (String file : new String[] {"ca.crt", "ca.key"}) {
      Files.copy(
          settings.dataDir().resolve("hub").resolve(file),
          dir.resolve(file),
          StandardCopyOption.COPY_ATTRIBUTES);
    }
    shared.beforeLoading(dir);
    CertificateAuthority copied = new CertificateAuthority(dir);
    String sha256 =
        HubTls.sha256(
            copied.serverIdentity(CertificateAuthority.defaultHostNames()).chain().getLast());
    assertThat(sha256).isEqualTo(tls.caSha256().orElseThrow());
    shared.loaded(dir, sha256);
  }
}
