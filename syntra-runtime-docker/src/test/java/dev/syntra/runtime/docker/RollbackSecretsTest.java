package dev.syntra.runtime.docker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.protocol.runtime.DeployListener;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.runtime.docker.internal.state.DeployHistory;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollback to a deployment whose env values the history no longer keeps fails with a clear error
 * instead of starting replicas without their env. No daemon is needed: the adapter points at a
 * socket that does not exist, which only the targets that pass the check reach.
 */
class RollbackSecretsTest {
  private static final ServiceRef WEB = new ServiceRef("k3x9a2", "shop", "web");

  @TempDir Path stateDir;

  @Test
  void rollbackToAnEntryWithoutEnvFailsWithAClearError() {
    DeployHistory history = new DeployHistory(stateDir);
    for (int i = 1; i <= 3; i++) {
      history.record(spec("dep-" + i), "sha256:" + String.format("%064x", i));
    }
    try (DockerRuntimeAdapter adapter =
        DockerRuntimeAdapter.builder()
            .dockerHost(URI.create("unix://" + stateDir.resolve("no-docker.sock")))
            .stateDir(stateDir)
            .recoverOnStart(false)
            .build()) {
      assertThatThrownBy(() -> adapter.rollback(WEB, "dep-1", "dep-1-rb-1", DeployListener.NOOP))
          .isInstanceOf(RuntimeAdapterException.Conflict.class)
          .hasMessageContaining("dep-1")
          .hasMessageContaining("only the last 2 deployments keep their env values");
      // The previous deployment still has its env: the rollback gets as far as the daemon.
      assertThatThrownBy(() -> adapter.rollback(WEB, "dep-2", "dep-2-rb-1", DeployListener.NOOP))
          .isInstanceOf(RuntimeAdapterException.Unavailable.class);
    }
  }

  private static DeploySpec spec(String id) {
    return DeploySpec.builder(id, WEB, "127.0.0.1:5000/shop/web:1")
        .env("DATABASE_PASSWORD", "s3cret")
        .port(PortMapping.tcp(8080))
        .build();
  }
}
