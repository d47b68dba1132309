package dev.syntra.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.agent.testing.TestHub;
import dev.syntra.protocol.message.HelloRejected;
import dev.syntra.protocol.security.TokenFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as the packaging and the end-to-end test run it. */
class AgentCliTest {
  @TempDir Path stateDir;
  private final String token = TokenFormat.AGENT.generate(new SecureRandom());

  private Path emptyConfig() throws Exception {
    return Files.writeString(stateDir.resolveSibling(stateDir.getFileName() + ".conf"), "");
  }

  @Test
  void versionPrintsAndSucceeds() {
    assertThat(AgentCli.execute("version")).isEqualTo(ExitCodes.OK);
  }

  @Test
  void plainWebSocketIsRefusedWithoutTheFlag() throws Exception {
    int code =
        AgentCli.execute(
            "run",
            "--endpoint",
            "ws://127.0.0.1:1/agent/v1",
            "--token",
            token,
            "--state-dir",
            stateDir.toString(),
            "--config",
            emptyConfig().toString());
    assertThat(code).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void aMalformedTokenIsAUsageError() throws Exception {
    int code =
        AgentCli.execute(
            "run",
            "--endpoint",
            "wss://127.0.0.1:1/agent/v1",
            "--token",
            "syn_tkn_short",
            "--state-dir",
            stateDir.toString(),
            "--runtime",
            "memory",
            "--config",
            emptyConfig().toString());
    assertThat(code).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void anUnknownRuntimeIsReported() throws Exception {
    int code =
        AgentCli.execute(
            "run",
            "--endpoint",
            "wss://127.0.0.1:1/agent/v1",
            "--token",
            token,
            "--state-dir",
            stateDir.toString(),
            "--runtime",
            "nomad",
            "--config",
            emptyConfig().toString());
    assertThat(code).isEqualTo(ExitCodes.NO_RUNTIME);
  }

  @Test
  void aRefusedTokenExitsWithTheRejectedCode() throws Exception {
    try (TestHub hub = TestHub.plain()) {
      hub.helloAnswer =
          (envelope, hello) ->
              new HelloRejected(HelloRejected.Reason.TOKEN_EXPIRED, "expired", null);
      Path config =
          Files.writeString(
              stateDir.resolveSibling("agent-test.conf"),
              "endpoint=" + hub.uri() + "\nallow_insecure_ws=true\nruntime=memory\n");
      int code =
          AgentCli.execute(
              "run",
              "--config",
              config.toString(),
              "--token",
              token,
              "--state-dir",
              stateDir.toString());
      assertThat(code).isEqualTo(ExitCodes.REJECTED);
      assertThat(hub.hellos).hasSize(1);
    }
  }

  @Test
  void statusOfANeverRunAgentSaysSo() {
    assertThat(AgentCli.execute("status", "--state-dir", stateDir.toString()))
        .isEqualTo(ExitCodes.FAILED);
  }
}
