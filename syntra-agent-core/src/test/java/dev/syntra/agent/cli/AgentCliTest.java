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

  private Path rejectingConfig(TestHub hub) throws Exception {
    hub.helloAnswer =
        (envelope, hello) -> new HelloRejected(HelloRejected.Reason.TOKEN_EXPIRED, "expired", null);
    return Files.writeString(
        stateDir.resolveSibling("agent-token.conf"),
        "endpoint=" + hub.uri() + "\nallow_insecure_ws=true\nruntime=memory\n");
  }

  private static String captureStderr(java.util.function.IntSupplier run, int[] code) {
    var previous = System.err;
    var bytes = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      code[0] = run.getAsInt();
    } finally {
      System.setErr(previous);
    }
    return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void theTokenComesFromAFileAndNeverFromTheCommandLine() throws Exception {
    try (TestHub hub = TestHub.plain()) {
      Path config = rejectingConfig(hub);
      Path tokenFile = Files.writeString(stateDir.resolveSibling("token"), token + "\n");
      Files.setPosixFilePermissions(
          tokenFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      int[] code = new int[1];
      String stderr =
          captureStderr(
              () ->
                  AgentCli.execute(
                      "run",
                      "--config",
                      config.toString(),
                      "--token-file",
                      tokenFile.toString(),
                      "--state-dir",
                      stateDir.toString()),
              code);

      assertThat(code[0]).isEqualTo(ExitCodes.REJECTED);
      assertThat(hub.hellos).singleElement().satisfies(h -> assertThat(h.token()).isEqualTo(token));
      assertThat(stderr).doesNotContain("note:").doesNotContain(token);
    }
  }

  @Test
  void theConfigFileCanNameATokenFile() throws Exception {
    try (TestHub hub = TestHub.plain()) {
      Path tokenFile = Files.writeString(stateDir.resolveSibling("token2"), token + "\n");
      Path config =
          Files.writeString(
              rejectingConfig(hub),
              "token_file=" + tokenFile + "\n",
              java.nio.file.StandardOpenOption.APPEND);
      int code =
          AgentCli.execute(
              "run", "--config", config.toString(), "--state-dir", stateDir.toString());

      assertThat(code).isEqualTo(ExitCodes.REJECTED);
      assertThat(hub.hellos).singleElement().satisfies(h -> assertThat(h.token()).isEqualTo(token));
    }
  }

  @Test
  void tokenOnTheCommandLineStillWorksButSaysOthersCanSeeIt() throws Exception {
    try (TestHub hub = TestHub.plain()) {
      Path config = rejectingConfig(hub);
      int[] code = new int[1];
      String stderr =
          captureStderr(
              () ->
                  AgentCli.execute(
                      "run",
                      "--config",
                      config.toString(),
                      "--token",
                      token,
                      "--state-dir",
                      stateDir.toString()),
              code);

      assertThat(code[0]).isEqualTo(ExitCodes.REJECTED);
      assertThat(stderr).contains("other users can see --token in ps");
    }
  }

  @Test
  void aMissingEmptyOrDoubleTokenSourceIsAUsageErrorUntilRegistered() throws Exception {
    Path config = emptyConfig();
    String[] base = {
      "run",
      "--endpoint",
      "wss://127.0.0.1:1/agent/v1",
      "--runtime",
      "memory",
      "--state-dir",
      stateDir.toString(),
      "--config",
      config.toString()
    };
    Path missing = stateDir.resolveSibling("no-such-token");
    Path empty = Files.writeString(stateDir.resolveSibling("empty-token"), "\n");
    int[] code = new int[1];

    String unreadable =
        captureStderr(
            () -> AgentCli.execute(concat(base, "--token-file", missing.toString())), code);
    assertThat(code[0]).isEqualTo(ExitCodes.USAGE);
    assertThat(unreadable).contains("--token-file " + missing + " cannot be read");

    String blank =
        captureStderr(() -> AgentCli.execute(concat(base, "--token-file", empty.toString())), code);
    assertThat(code[0]).isEqualTo(ExitCodes.USAGE);
    assertThat(blank).contains("is empty");

    String both =
        captureStderr(
            () ->
                AgentCli.execute(concat(base, "--token", token, "--token-file", empty.toString())),
            code);
    assertThat(code[0]).isEqualTo(ExitCodes.USAGE);
    assertThat(both).contains("either --token or --token-file");
  }

  @Test
  void aRegisteredAgentDoesNotNeedItsDeletedTokenFile() throws Exception {
    new dev.syntra.agent.state.IdentityStore(stateDir)
        .save(
            new dev.syntra.agent.state.AgentIdentity(
                TestHub.AGENT_ID,
                TestHub.SERVER_ID,
                TokenFormat.AGENT.generate(new SecureRandom()),
                java.time.Instant.now()));
    try (TestHub hub = TestHub.plain()) {
      Path config = rejectingConfig(hub);
      int code =
          AgentCli.execute(
              "run",
              "--config",
              config.toString(),
              "--token-file",
              stateDir.resolveSibling("deleted-after-registration").toString(),
              "--state-dir",
              stateDir.toString());

      assertThat(code).isEqualTo(ExitCodes.REJECTED);
      assertThat(hub.hellos)
          .singleElement()
          .satisfies(h -> assertThat(h.agentId()).isEqualTo(TestHub.AGENT_ID));
    }
  }

  private static String[] concat(String[] base, String... more) {
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }
}
