package dev.syntra.protocol;

import dev.syntra.protocol.frame.BatchId;
import dev.syntra.protocol.message.AgentHello;
import dev.syntra.protocol.message.Alert;
import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.ConfigureHealthCheckCommand;
import dev.syntra.protocol.message.ConfigureTelemetryCommand;
import dev.syntra.protocol.message.DeployCommand;
import dev.syntra.protocol.message.DeployStatus;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.ExecCommand;
import dev.syntra.protocol.message.Heartbeat;
import dev.syntra.protocol.message.HelloOk;
import dev.syntra.protocol.message.HelloRejected;
import dev.syntra.protocol.message.LogChunk;
import dev.syntra.protocol.message.LogsCommand;
import dev.syntra.protocol.message.Message;
import dev.syntra.protocol.message.MessageType;
import dev.syntra.protocol.message.ProtocolError;
import dev.syntra.protocol.message.RestartCommand;
import dev.syntra.protocol.message.RollbackCommand;
import dev.syntra.protocol.message.ScaleCommand;
import dev.syntra.protocol.message.SessionSettings;
import dev.syntra.protocol.message.StopCommand;
import dev.syntra.protocol.message.SystemMetrics;
import dev.syntra.protocol.message.TelemetryAck;
import dev.syntra.protocol.message.TelemetrySettings;
import dev.syntra.protocol.message.Throttle;
import dev.syntra.protocol.message.UpdateAgentCommand;
import dev.syntra.protocol.runtime.Autoscaling;
import dev.syntra.protocol.runtime.DeployPhase;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.DeployStrategy;
import dev.syntra.protocol.runtime.ExecOptions;
import dev.syntra.protocol.runtime.ExecResult;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.HostBinding;
import dev.syntra.protocol.runtime.LogLine;
import dev.syntra.protocol.runtime.LogOptions;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.RegistryAuth;
import dev.syntra.protocol.runtime.ReplicaStatus;
import dev.syntra.protocol.runtime.ResourceLimits;
import dev.syntra.protocol.runtime.RolloutOptions;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One realistic message of every type, with fixed ids and times, for vectors, tests and benchmarks.
 */
public final class Samples {
  public static final Instant T0 = Instant.parse("2026-11-26T12:00:00.125Z");
  public static final ServiceRef WEB = new ServiceRef("k3x9a2", "shop", "web");

  private Samples() {}

  /** The sample message of each type. */
  public static Map<MessageType, Message> messages() {
    Map<MessageType, Message> all = new EnumMap<>(MessageType.class);
    for (Message m :
        List.of(
            hello(),
            helloOk(),
            helloRejected(),
            deploy(),
            new StopCommand(WEB),
            new ScaleCommand(WEB, 3),
            new RestartCommand(WEB),
            new RollbackCommand(WEB, "dep_01HZY9", "dep_01HZX2"),
            exec(),
            LogsCommand.start(
                "stream_7", WEB, new LogOptions(true, T0.minusSeconds(600), 100, true, true)),
            new UpdateAgentCommand(
                "0.2.0",
                "https://syntra.example.com/agent/0.2.0/syntra-agent-linux-x86_64.tar.gz",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                null),
            new ConfigureHealthCheckCommand(WEB, HealthCheck.http("/healthz", 8080)),
            new ConfigureTelemetryCommand(
                WEB,
                new TelemetrySettings(
                    0.25,
                    2000,
                    500,
                    new TelemetrySettings.PrometheusScrape(
                        9464, "/metrics", Duration.ofSeconds(15), Duration.ofSeconds(10)))),
            telemetryAck(),
            new Throttle(Duration.ofMillis(5000), "ingest queue full"),
            heartbeat(),
            new DeployStatus(
                "dep_01HZY9", WEB, DeployPhase.HEALTH_CHECKING, "replica 1/2 healthy", null),
            CommandResult.ok(new ExecResult(0, "ok\n", "", false, false, Duration.ofMillis(42))),
            logChunk(),
            alert(),
            new ProtocolError("unknown_type", "unknown message type 'reboot'", "$.type"))) {
      all.put(m.type(), m);
    }
    return all;
  }

  /** The sample wrapped in an envelope with a fixed id and nonce derived from its type. */
  public static Envelope envelope(Message message) {
    String reply =
        switch (message.type()) {
          case HELLO_OK, HELLO_REJECTED -> "msg_hello0000000000000001";
          case DEPLOY_STATUS, COMMAND_RESULT -> "msg_cmd00000000000000001";
          case ERROR -> "msg_bad00000000000000001";
          default -> null;
        };
    String suffix = message.type().wireName().replace("_", "");
    return new Envelope(
        1,
        "msg_" + suffix,
        T0,
        ("n0nce" + suffix + "0000000000000000").substring(0, 22),
        reply,
        message);
  }

  public static AgentHello hello() {
    return new AgentHello(
        null,
        "syn_tkn_MvOz7OM7a2qWqM6orPuhmXIUyg2bB73SFVnk",
        "0.1.0",
        "docker",
        "debian-12",
        "x86_64",
        "vps-fra-1",
        new AgentHello.Resources(4, 8L << 30, 80L * 1000 * 1000 * 1000),
        null);
  }

  public static HelloOk helloOk() {
    return new HelloOk(
        "agt_01HZY7",
        "srv_01HZY6",
        T0,
        SessionSettings.DEFAULTS,
        "syn_tkn_KS17v2kkP2kdvTYiprvpj9p8KxFyw91ANT8g",
        null);
  }

  public static HelloRejected helloRejected() {
    return new HelloRejected(
        HelloRejected.Reason.TOKEN_REUSED, "this registration token was already used", null);
  }

  public static DeploySpec deploySpec() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DATABASE_URL", "postgres://shop:s3cret@db.shop.internal:5432/shop");
    env.put("LOG_LEVEL", "info");
    return DeploySpec.builder("dep_01HZY9", WEB, "127.0.0.1:5000/shop/web:1.4.2")
        .registryAuth(new RegistryAuth("127.0.0.1:5000", "deploy", "registry-pass"))
        .replicas(2)
        .env(env)
        .port(PortMapping.tcp(8080, HostBinding.loopback(18080)))
        .limits(new ResourceLimits(500, 256L << 20))
        .domain("shop.example.com")
        .networkAlias(WEB.internalDnsName())
        .healthCheck(
            new HealthCheck(
                HealthCheck.Type.HTTP,
                "/healthz",
                8080,
                Duration.ofSeconds(2),
                Duration.ofSeconds(1),
                3,
                Duration.ofSeconds(5)))
        .strategy(DeployStrategy.ROLLING)
        .rollout(RolloutOptions.DEFAULTS)
        .autoscaling(new Autoscaling(2, 6, 70))
        .build();
  }

  public static DeployCommand deploy() {
    return new DeployCommand(deploySpec());
  }

  public static ExecCommand exec() {
    return new ExecCommand(
        WEB, List.of("sh", "-c", "echo ok"), new ExecOptions(Duration.ofSeconds(10), 65536, null));
  }

  public static TelemetryAck telemetryAck() {
    return new TelemetryAck(
        List.of(
            new TelemetryAck.Entry(
                BatchId.parse("0f1e2d3c4b5a69788796a5b4c3d2e1f0"),
                TelemetryAck.Status.STORED,
                null),
            new TelemetryAck.Entry(
                BatchId.parse("00112233445566778899aabbccddeeff"),
                TelemetryAck.Status.DUPLICATE,
                null)));
  }

  public static Heartbeat heartbeat() {
    ReplicaStatus replica =
        new ReplicaStatus(
            "syn-shop-web-01hzy9-0",
            "dep_01HZY9",
            ReplicaStatus.State.RUNNING,
            ReplicaStatus.Health.HEALTHY,
            0,
            "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef",
            T0.minusSeconds(3600),
            null);
    ServiceStatus status =
        new ServiceStatus(
            WEB, ServiceStatus.State.RUNNING, "dep_01HZY9", 1, List.of(replica), null);
    SystemMetrics system =
        new SystemMetrics(
            23.5,
            List.of(30.25, 16.75),
            0.42,
            3L << 30,
            8L << 30,
            21L << 30,
            80L << 30,
            1_234_567_890L,
            987_654_321L,
            86_400);
    return new Heartbeat(system, 1, 1, List.of(status), 0);
  }

  public static LogChunk logChunk() {
    return new LogChunk(
        "stream_7",
        List.of(
            new LogLine(T0, LogLine.Stream.STDOUT, "syn-shop-web-01hzy9-0", "GET /healthz 200 1ms"),
            new LogLine(
                T0.plusMillis(3),
                LogLine.Stream.STDERR,
                "syn-shop-web-01hzy9-0",
                "warn: slow query (812 ms)")),
        0,
        false);
  }

  public static Alert alert() {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("replica_id", "syn-shop-web-01hzy9-0");
    details.put("memory_limit_bytes", "268435456");
    return new Alert(
        "oom_killed",
        Alert.Severity.CRITICAL,
        WEB,
        "replica was killed for exceeding its memory limit",
        details);
  }
}
