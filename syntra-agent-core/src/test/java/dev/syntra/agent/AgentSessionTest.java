package dev.syntra.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syntra.agent.link.BackoffPolicy;
import dev.syntra.agent.state.CommandJournal;
import dev.syntra.agent.state.IdentityStore;
import dev.syntra.agent.state.StatusFile;
import dev.syntra.agent.testing.InMemoryRuntime;
import dev.syntra.agent.testing.TestHub;
import dev.syntra.protocol.message.AgentHello;
import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.DeployCommand;
import dev.syntra.protocol.message.DeployStatus;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.ExecCommand;
import dev.syntra.protocol.message.Heartbeat;
import dev.syntra.protocol.message.HelloRejected;
import dev.syntra.protocol.message.MessageType;
import dev.syntra.protocol.message.ProtocolError;
import dev.syntra.protocol.runtime.DeployPhase;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.ExecOptions;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.security.SecureIds;
import dev.syntra.protocol.security.TokenFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against a protocol-speaking hub on 127.0.0.1 over a real WebSocket. */
class AgentSessionTest {
  private static final ServiceRef WEB = new ServiceRef("k3x9a2", "shop", "web");
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path stateDir;
  private TestHub hub;
  private InMemoryRuntime runtime;
  private Agent agent;
  private final String token = TokenFormat.AGENT.generate(new SecureRandom());

  @BeforeEach
  void startHub() throws Exception {
    hub = TestHub.plain();
    runtime = new InMemoryRuntime();
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    hub.close();
  }

  private AgentConfig.Builder config() {
    return AgentConfig.builder()
        .endpoint(hub.uri())
        .allowInsecureWs(true)
        .registrationToken(token)
        .stateDir(stateDir)
        .backoff(new BackoffPolicy(Duration.ofMillis(50), Duration.ofMillis(200), 0.2))
        .statusInterval(Duration.ofMillis(200))
        .shutdownGrace(Duration.ofSeconds(2))
        .telemetry(TestPipelines.httpOnly(stateDir, 0));
  }

  private void startAgent() {
    agent = Agent.create(config().build(), runtime);
    agent.start();
  }

  private void awaitSession() {
    await().atMost(WAIT).until(() -> agent.status().connected());
  }

  private static DeployCommand deploy(String deploymentId) {
    return new DeployCommand(
        DeploySpec.builder(deploymentId, WEB, "127.0.0.1:5000/syntra-test/httpd:1").build());
  }

  @Test
  void registrationStoresTheCredentialPrivatelyAndReconnectsWithIt() throws Exception {
    startAgent();
    awaitSession();
    AgentHello first = hub.hellos.get(0);
    assertThat(first.agentId()).isNull();
    assertThat(first.token()).isEqualTo(token);
    assertThat(first.runtime()).isEqualTo("memory");
    assertThat(first.resources().cpuCores()).isPositive();
    assertThat(first.resources().memoryBytes()).isPositive();

    Path identity = stateDir.resolve(IdentityStore.FILE_NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(identity)))
        .isEqualTo("rw-------");
    var stored = new IdentityStore(stateDir).load().orElseThrow();
    assertThat(stored.agentId()).isEqualTo(TestHub.AGENT_ID);
    assertThat(stored.credential()).isEqualTo(hub.issuedCredentials.get(0));

    hub.dropConnection();
    await().atMost(WAIT).until(() -> hub.hellos.size() == 2 && agent.status().connected());
    AgentHello second = hub.hellos.get(1);
    assertThat(second.agentId()).isEqualTo(TestHub.AGENT_ID);
    assertThat(second.token()).isEqualTo(hub.issuedCredentials.get(0));
    assertThat(hub.issuedCredentials).hasSize(1);
  }

  @Test
  void aRefusedTokenStopsTheAgentWithoutRetrying() throws Exception {
    hub.helloAnswer =
        (envelope, hello) ->
            new HelloRejected(
                HelloRejected.Reason.TOKEN_REUSED, "this token was already used", null);
    startAgent();
    AgentExit exit = agent.exit().get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(exit.kind()).isEqualTo(AgentExit.Kind.REJECTED);
    assertThat(exit.message()).contains("token_reused").doesNotContain(token);
    assertThat(hub.connections.get()).isEqualTo(1);
    assertThat(Files.exists(stateDir.resolve(IdentityStore.FILE_NAME))).isFalse();
  }

  @Test
  void heartbeatsCarryProcMetricsAndManagedServices() {
    hub.settings =
        new dev.syntra.protocol.message.SessionSettings(
            Duration.ofMillis(100), 0.1, 50L << 20, 1000, Duration.ofSeconds(5), 4 << 20);
    startAgent();
    awaitSession();
    hub.send("msg_deploy1", deploy("dep_1"));
    await()
        .atMost(WAIT)
        .until(() ->
            hub.messages(MessageType.HEARTBEAT).stream()
                .map(e -> (Heartbeat) e.payload())
                .anyMatch(h -> h.services().size() == 1 && h.containersRunning() == 1));
    Heartbeat beat = (Heartbeat) hub.messages(MessageType.HEARTBEAT).getLast().payload();
    assertThat(beat.system().memoryTotalBytes()).isPositive();
    assertThat(beat.system().memoryUsedBytes()).isPositive();
    assertThat(beat.system().uptimeSeconds()).isPositive();
    assertThat(beat.system().diskTotalBytes()).isPositive();
    assertThat(beat.system().cpuPerCorePercent()).isNotEmpty();
    assertThat(beat.services().get(0).deploymentId()).isEqualTo("dep_1");
  }

  @Test
  void deployReportsEveryPhaseThenTheResultAndARedeliveryIsNotExecutedAgain() {
    startAgent();
    awaitSession();
    hub.send("msg_deploy1", deploy("dep_1"));
    await()
        .atMost(WAIT)
        .until(() -> hub.replies(MessageType.COMMAND_RESULT, "msg_deploy1").size() == 1);
    List<DeployPhase> phases =
        hub.replies(MessageType.DEPLOY_STATUS, "msg_deploy1").stream()
            .map(e -> ((DeployStatus) e.payload()).phase())
            .toList();
    assertThat(phases)
        .containsExactly(
            DeployPhase.PULLING,
            DeployPhase.CREATING,
            DeployPhase.STARTING,
            DeployPhase.HEALTH_CHECKING,
            DeployPhase.SWITCHING,
            DeployPhase.RUNNING);
    assertThat(
            ((CommandResult)
                    hub.replies(MessageType.COMMAND_RESULT, "msg_deploy1").get(0).payload())
                .isOk())
        .isTrue();

    hub.send("msg_deploy1", deploy("dep_1")); // redelivery: same id, fresh ts and nonce
    await()
        .atMost(WAIT)
        .until(() -> hub.replies(MessageType.COMMAND_RESULT, "msg_deploy1").size() == 2);
    assertThat(runtime.calls).containsExactly("deploy dep_1");
    List<Envelope> statuses = hub.replies(MessageType.DEPLOY_STATUS, "msg_deploy1");
    assertThat(((DeployStatus) statuses.getLast().payload()).phase())
        .isEqualTo(DeployPhase.RUNNING);
    assertThat(statuses).hasSize(7);
  }

  @Test
  void aCommandInterruptedByARestartIsReconciledNotReExecuted() throws Exception {
    // A previous run received the deploy, then was killed; the runtime finished it meanwhile.
    new IdentityStore(stateDir)
        .save(
            new dev.syntra.agent.state.AgentIdentity(
                TestHub.AGENT_ID,
                TestHub.SERVER_ID,
                TokenFormat.AGENT.generate(new SecureRandom()),
                Instant.now()));
    CommandJournal journal =
        CommandJournal.open(stateDir, Clock.systemUTC(), 1000, Duration.ofDays(7));
    journal.recordReceived("msg_deploy7", deploy("dep_7"));
    journal.recordReceived(
        "msg_deploy8",
        new DeployCommand(
            DeploySpec.builder(
                    "dep_8", new ServiceRef("k3x9a2", "shop", "api"), "127.0.0.1:5000/a:1")
                .build()));
    runtime.services.put(WEB, InMemoryRuntime.running(WEB, "dep_7", 2));

    agent = Agent.create(config().registrationToken(null).build(), runtime);
    agent.start();
    await().atMost(WAIT).until(() -> hub.messages(MessageType.COMMAND_RESULT).size() == 2);
    assertThat(runtime.calls).isEmpty();

    DeployStatus seven =
        (DeployStatus) hub.replies(MessageType.DEPLOY_STATUS, "msg_deploy7").get(0).payload();
    assertThat(seven.phase()).isEqualTo(DeployPhase.RUNNING);
    assertThat(
            ((CommandResult)
                    hub.replies(MessageType.COMMAND_RESULT, "msg_deploy7").get(0).payload())
                .isOk())
        .isTrue();

    DeployStatus eight =
        (DeployStatus) hub.replies(MessageType.DEPLOY_STATUS, "msg_deploy8").get(0).payload();
    assertThat(eight.phase()).isEqualTo(DeployPhase.FAILED);
    assertThat(eight.errorCode()).isEqualTo("internal");
    assertThat(eight.message()).contains("restarted during the deploy").contains("not_found");
    CommandResult failed =
        (CommandResult) hub.replies(MessageType.COMMAND_RESULT, "msg_deploy8").get(0).payload();
    assertThat(failed.error().code()).isEqualTo("internal");

    // The control plane redelivers: answered from the journal, still not executed.
    hub.send(
        "msg_deploy8",
        new DeployCommand(
            DeploySpec.builder(
                    "dep_8", new ServiceRef("k3x9a2", "shop", "api"), "127.0.0.1:5000/a:1")
                .build()));
    await()
        .atMost(WAIT)
        .until(() -> hub.replies(MessageType.COMMAND_RESULT, "msg_deploy8").size() == 2);
    assertThat(runtime.calls).isEmpty();
  }

  @Test
  void aReplayedEnvelopeIsRefusedAndNotExecuted() {
    startAgent();
    awaitSession();
    Envelope exec =
        hub.send("msg_exec1", new ExecCommand(WEB, List.of("echo", "hi"), ExecOptions.DEFAULTS));
    await()
        .atMost(WAIT)
        .until(() -> hub.replies(MessageType.COMMAND_RESULT, "msg_exec1").size() == 1);

    hub.send(exec); // byte-identical replay: same nonce
    Envelope stale =
        new Envelope(
            1,
            "msg_exec2",
            Instant.now().minus(Duration.ofMinutes(10)),
            SecureIds.nonce(),
            null,
            new ExecCommand(WEB, List.of("id"), ExecOptions.DEFAULTS));
    hub.send(stale);
    await().atMost(WAIT).until(() -> hub.messages(MessageType.ERROR).size() == 2);
    assertThat(hub.messages(MessageType.ERROR))
        .allSatisfy(e -> assertThat(((ProtocolError) e.payload()).code()).isEqualTo("replayed"))
        .extracting(Envelope::replyTo)
        .containsExactly("msg_exec1", "msg_exec2");
    assertThat(runtime.calls).containsExactly("exec k3x9a2/shop/web [echo, hi]");
    assertThat(agent.status().replayRefused()).isEqualTo(2);
  }

  @Test
  void anUndecodableMessageIsAnsweredWithAnError() {
    startAgent();
    awaitSession();
    hub.sendRaw("{\"v\":1,\"type\":\"reboot\",\"id\":\"msg_bad1\"}");
    await().atMost(WAIT).until(() -> hub.messages(MessageType.ERROR).size() == 1);
    Envelope error = hub.messages(MessageType.ERROR).get(0);
    assertThat(((ProtocolError) error.payload()).code()).isEqualTo("unknown_type");
    assertThat(error.replyTo()).isEqualTo("msg_bad1");
    assertThat(agent.status().connected()).isTrue();
  }

  @Test
  void resultsProducedWhileDisconnectedAreSentAfterTheNextHello() {
    runtime.deployGate = new CountDownLatch(1);
    startAgent();
    awaitSession();
    hub.send("msg_deploy2", deploy("dep_2"));
    await().atMost(WAIT).until(() -> runtime.deployEntered.getCount() == 0);
    hub.helloAnswer = (envelope, hello) -> null; // the next hello stays unanswered for now
    hub.dropConnection();
    await().atMost(WAIT).until(() -> hub.hellos.size() == 2);
    runtime.deployGate.countDown(); // the deploy finishes while no session is open
    await().atMost(WAIT).until(() -> agent.status().outboxSize() == 4);
    assertThat(hub.replies(MessageType.COMMAND_RESULT, "msg_deploy2")).isEmpty();

    hub.helloAnswer =
        (envelope, hello) ->
            new dev.syntra.protocol.message.HelloOk(
                TestHub.AGENT_ID, TestHub.SERVER_ID, Instant.now(), hub.settings, null, null);
    hub.dropConnection();
    await()
        .atMost(WAIT)
        .until(() -> hub.replies(MessageType.COMMAND_RESULT, "msg_deploy2").size() == 1);
    assertThat(agent.status().outboxSize()).isZero();
    List<Envelope> afterHello =
        hub.received.subList(
            hub.received.indexOf(hub.messages(MessageType.AGENT_HELLO).getLast()),
            hub.received.size());
    assertThat(afterHello.stream().map(Envelope::type))
        .containsSubsequence(
            MessageType.AGENT_HELLO, MessageType.DEPLOY_STATUS, MessageType.COMMAND_RESULT);
  }

  @Test
  void theStatusFileShowsTheConnection() {
    startAgent();
    awaitSession();
    await()
        .atMost(WAIT)
        .until(() -> new StatusFile(stateDir).read().map(s -> s.connected()).orElse(false));
    assertThat(new StatusFile(stateDir).read().orElseThrow().runtime()).isEqualTo("memory");
  }

  @Test
  void withoutTokenOrCredentialTheAgentRefusesToStart() {
    var config = config().registrationToken(null).build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Agent.create(config, runtime))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--token");
  }

  @Test
  void anOversizedExecResultIsTrimmedToTheHubsLimitAndResentTrimmed() throws Exception {
    int limit = 64 << 10;
    hub.settings =
        new dev.syntra.protocol.message.SessionSettings(
            Duration.ofSeconds(60), 0.1, 50L << 20, 1000, Duration.ofSeconds(5), limit);
    // 100,000 control bytes: 600,000 bytes once JSON-escaped.
    runtime.execStdout = "head\n" + "\u0001".repeat(100_000);
    startAgent();
    awaitSession();
    hub.send("msg_big1", new ExecCommand(WEB, List.of("cat", "blob"), ExecOptions.DEFAULTS));
    await()
        .atMost(WAIT)
        .until(() -> hub.replies(MessageType.COMMAND_RESULT, "msg_big1").size() == 1);
    CommandResult result =
        (CommandResult) hub.replies(MessageType.COMMAND_RESULT, "msg_big1").get(0).payload();
    assertThat(result.isOk()).isTrue();
    assertThat(result.exec().truncated()).isTrue();
    assertThat(result.exec().stdout()).startsWith("head\n");
    assertThat(runtime.execStdout).startsWith(result.exec().stdout());

    hub.send("msg_big1", new ExecCommand(WEB, List.of("cat", "blob"), ExecOptions.DEFAULTS));
    await()
        .atMost(WAIT)
        .until(() -> hub.replies(MessageType.COMMAND_RESULT, "msg_big1").size() == 2);
    assertThat(hub.rawReceived)
        .allSatisfy(raw ->
            assertThat(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(limit));
    try (var files = Files.list(stateDir.resolve(CommandJournal.DIR_NAME))) {
      assertThat(files.mapToLong(f -> f.toFile().length()).max().orElse(0)).isLessThan(2L * limit);
    }
    assertThat(runtime.calls).containsExactly("exec k3x9a2/shop/web [cat, blob]");
    assertThat(hub.connections.get()).isEqualTo(1);
  }

  @Test
  void aCommandTheJournalCannotRecordIsRefusedOnceAndNotRunOnRedelivery() throws Exception {
    startAgent();
    awaitSession();
    // A directory where the journal file must go: the journal write fails (even for root).
    Path blocker = stateDir.resolve(CommandJournal.DIR_NAME).resolve("cmd-msg_nj1.json");
    Files.createDirectories(blocker.resolve("occupied"));
    hub.send("msg_nj1", new ExecCommand(WEB, List.of("id"), ExecOptions.DEFAULTS));
    await()
        .atMost(WAIT)
        .until(() -> hub.replies(MessageType.COMMAND_RESULT, "msg_nj1").size() == 1);
    hub.send("msg_nj1", new ExecCommand(WEB, List.of("id"), ExecOptions.DEFAULTS));
    await()
        .atMost(WAIT)
        .until(() -> hub.replies(MessageType.COMMAND_RESULT, "msg_nj1").size() == 2);
    assertThat(hub.replies(MessageType.COMMAND_RESULT, "msg_nj1"))
        .allSatisfy(e -> {
          CommandResult r = (CommandResult) e.payload();
          assertThat(r.error().code()).isEqualTo("internal");
          assertThat(r.error().message()).contains("was not run");
        });
    assertThat(runtime.calls).isEmpty();
  }

  @Test
  void anErrorThrownByTheRuntimeStillAnswersTheCommand() {
    runtime.execError = new AssertionError("adapter bug");
    startAgent();
    awaitSession();
    hub.send("msg_err1", new ExecCommand(WEB, List.of("id"), ExecOptions.DEFAULTS));
    await()
        .atMost(WAIT)
        .until(() -> hub.replies(MessageType.COMMAND_RESULT, "msg_err1").size() == 1);
    CommandResult r =
        (CommandResult) hub.replies(MessageType.COMMAND_RESULT, "msg_err1").get(0).payload();
    assertThat(r.error().code()).isEqualTo("internal");
    assertThat(r.error().message()).contains("adapter bug");
  }

  @Test
  void aStopReconciledAfterARestartUntracksTheService() throws Exception {
    new IdentityStore(stateDir)
        .save(
            new dev.syntra.agent.state.AgentIdentity(
                TestHub.AGENT_ID,
                TestHub.SERVER_ID,
                TokenFormat.AGENT.generate(new SecureRandom()),
                Instant.now()));
    dev.syntra.agent.state.ManagedServices.open(stateDir).add(WEB);
    CommandJournal.open(stateDir, Clock.systemUTC(), 1000, Duration.ofDays(7))
        .recordReceived("msg_stop1", new dev.syntra.protocol.message.StopCommand(WEB));
    // The runtime no longer has the service: the stop completed before the agent died.
    agent = Agent.create(config().registrationToken(null).build(), runtime);
    agent.start();
    await()
        .atMost(WAIT)
        .until(() -> hub.replies(MessageType.COMMAND_RESULT, "msg_stop1").size() == 1);
    assertThat(
            ((CommandResult) hub.replies(MessageType.COMMAND_RESULT, "msg_stop1").get(0).payload())
                .isOk())
        .isTrue();
    assertThat(dev.syntra.agent.state.ManagedServices.open(stateDir).list()).isEmpty();
  }

  @Test
  void quickCommandsRunWhileEveryDeployThreadIsBusy() {
    runtime.deployGate = new CountDownLatch(1);
    agent = Agent.create(config().commandThreads(1).build(), runtime);
    agent.start();
    awaitSession();
    hub.send("msg_slow1", deploy("dep_s1"));
    hub.send(
        "msg_slow2",
        new DeployCommand(
            DeploySpec.builder(
                    "dep_s2", new ServiceRef("k3x9a2", "shop", "api"), "127.0.0.1:5000/a:1")
                .build()));
    await().atMost(WAIT).until(() -> runtime.deployEntered.getCount() == 0);
    hub.send("msg_quick1", new ExecCommand(WEB, List.of("uptime"), ExecOptions.DEFAULTS));
    await()
        .atMost(WAIT)
        .until(() -> hub.replies(MessageType.COMMAND_RESULT, "msg_quick1").size() == 1);
    assertThat(hub.messages(MessageType.COMMAND_RESULT)).hasSize(1);

    // A stop of the deploying service waits for its deploy: same service, arrival order.
    hub.send("msg_stop2", new dev.syntra.protocol.message.StopCommand(WEB));
    runtime.deployGate.countDown();
    await().atMost(WAIT).until(() -> hub.messages(MessageType.COMMAND_RESULT).size() == 4);
    assertThat(runtime.calls.indexOf("deploy dep_s1"))
        .isLessThan(runtime.calls.indexOf("stop k3x9a2/shop/web"));
  }

  @Test
  void aRedeliveryAfterTheJournalPrunedTheEntryIsAnsweredDuplicate() {
    agent = Agent.create(config().journalMaxFinished(1).build(), runtime);
    agent.start();
    awaitSession();
    hub.send("msg_old1", new ExecCommand(WEB, List.of("date"), ExecOptions.DEFAULTS));
    await()
        .atMost(WAIT)
        .until(() -> hub.replies(MessageType.COMMAND_RESULT, "msg_old1").size() == 1);
    hub.send("msg_new1", new ExecCommand(WEB, List.of("date"), ExecOptions.DEFAULTS));
    await()
        .atMost(WAIT)
        .until(() -> hub.replies(MessageType.COMMAND_RESULT, "msg_new1").size() == 1);

    hub.send("msg_old1", new ExecCommand(WEB, List.of("date"), ExecOptions.DEFAULTS));
    await()
        .atMost(WAIT)
        .until(() -> hub.replies(MessageType.COMMAND_RESULT, "msg_old1").size() == 2);
    CommandResult again =
        (CommandResult) hub.replies(MessageType.COMMAND_RESULT, "msg_old1").get(1).payload();
    assertThat(again.error().code()).isEqualTo("duplicate");
    assertThat(runtime.calls).hasSize(2);
  }

  /** The system clock plus an offset the test moves. */
  private static final class OffsetClock extends Clock {
    volatile Duration offset = Duration.ZERO;

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }
  }

  private List<Path> filesHolding(String secret) throws java.io.IOException {
    try (var files = Files.walk(stateDir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> {
            try {
              return Files.readString(f).contains(secret);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          })
          .toList();
    }
  }

  @Test
  void envValuesNeverReachTheStateDirectoryAndExecOutputIsPurgedAfterItsRetention()
      throws Exception {
    String secret = "s3cr3t-" + SecureIds.nonce();
    runtime.execStdout = "DATABASE_URL=postgres://app:" + secret + "@db/app\n";
    OffsetClock clock = new OffsetClock();
    agent = Agent.create(config().build(), runtime, clock);
    agent.start();
    awaitSession();

    hub.send(
        "msg_secret_deploy",
        new DeployCommand(
            DeploySpec.builder("dep_secret", WEB, "127.0.0.1:5000/syntra-test/httpd:1")
                .env("DATABASE_URL", "postgres://app:" + secret + "@db/app")
                .build()));
    hub.send("msg_secret_exec", new ExecCommand(WEB, List.of("env"), ExecOptions.DEFAULTS));
    await()
        .atMost(WAIT)
        .until(() ->
            hub.replies(MessageType.COMMAND_RESULT, "msg_secret_deploy").size() == 1
                && hub.replies(MessageType.COMMAND_RESULT, "msg_secret_exec").size() == 1);

    // The deploy left no trace of its env; the exec's output waits for a possible redelivery.
    assertThat(filesHolding(secret))
        .containsExactly(
            stateDir.resolve(CommandJournal.DIR_NAME).resolve("cmd-msg_secret_exec.json"));

    clock.offset = CommandJournal.EXEC_OUTPUT_RETENTION.plusMinutes(1);
    await().atMost(WAIT).until(() -> filesHolding(secret).isEmpty());
    clock.offset = Duration.ZERO;

    hub.send("msg_secret_exec", new ExecCommand(WEB, List.of("env"), ExecOptions.DEFAULTS));
    await()
        .atMost(WAIT)
        .until(() -> hub.replies(MessageType.COMMAND_RESULT, "msg_secret_exec").size() == 2);
    CommandResult again =
        (CommandResult) hub.replies(MessageType.COMMAND_RESULT, "msg_secret_exec").get(1).payload();
    assertThat(again.error().code()).isEqualTo("duplicate");
    assertThat(again.error().message()).contains("output is kept only 10 minutes");
    assertThat(runtime.calls).containsOnlyOnce("exec " + WEB + " [env]");
    try (var files = Files.walk(stateDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
            .as(file.toString())
            .isEqualTo("rw-------");
      }
    }
  }

  @Test
  void aDeployInterruptedByShutdownIsLeftForReconciliation() throws Exception {
    runtime.deployGate = new CountDownLatch(1); // never opened
    agent = Agent.create(config().shutdownGrace(Duration.ofMillis(100)).build(), runtime);
    agent.start();
    awaitSession();
    hub.send("msg_dep9", deploy("dep_9"));
    await().atMost(WAIT).until(() -> runtime.deployEntered.getCount() == 0);
    agent.close();
    assertThat(hub.replies(MessageType.COMMAND_RESULT, "msg_dep9")).isEmpty();
    CommandJournal journal =
        CommandJournal.open(stateDir, Clock.systemUTC(), 1000, Duration.ofDays(7));
    assertThat(journal.unfinished())
        .extracting(dev.syntra.agent.state.JournalEntry::commandId)
        .containsExactly("msg_dep9");
  }

  @Test
  void beforeHelloOkTheAgentClosesInsteadOfSendingErrors() {
    hub.helloAnswer = (envelope, hello) -> null; // silent: the test answers by hand
    startAgent();
    await().atMost(WAIT).until(() -> hub.hellos.size() == 1 && hub.connected());
    hub.send("msg_early1", new ExecCommand(WEB, List.of("id"), ExecOptions.DEFAULTS));
    await().atMost(WAIT).until(() -> hub.hellos.size() == 2 && hub.connected());
    assertThat(agent.status().lastError()).contains("before the session opened");

    // A hello_ok that answers another hello is a protocol error too.
    hub.send(
        new Envelope(
            1,
            "msg_ok1",
            Instant.now(),
            SecureIds.nonce(),
            "msg_not_the_hello",
            new dev.syntra.protocol.message.HelloOk(
                TestHub.AGENT_ID, TestHub.SERVER_ID, Instant.now(), hub.settings, "syn_x", null)));
    await().atMost(WAIT).until(() -> hub.hellos.size() == 3);
    assertThat(agent.status().lastError()).contains("reply_to");
    assertThat(agent.status().connected()).isFalse();
    assertThat(hub.messages(MessageType.ERROR)).isEmpty();
    assertThat(hub.received).allMatch(e -> e.type() == MessageType.AGENT_HELLO);
    assertThat(runtime.calls).isEmpty();
    assertThat(Files.exists(stateDir.resolve(IdentityStore.FILE_NAME))).isFalse();
  }
}
