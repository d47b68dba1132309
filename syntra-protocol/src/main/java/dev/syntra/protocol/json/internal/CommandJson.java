package dev.syntra.protocol.json.internal;

import dev.syntra.protocol.message.Command;
import dev.syntra.protocol.message.ConfigureHealthCheckCommand;
import dev.syntra.protocol.message.ConfigureTelemetryCommand;
import dev.syntra.protocol.message.DeployCommand;
import dev.syntra.protocol.message.ExecCommand;
import dev.syntra.protocol.message.LogsCommand;
import dev.syntra.protocol.message.MessageType;
import dev.syntra.protocol.message.RestartCommand;
import dev.syntra.protocol.message.RollbackCommand;
import dev.syntra.protocol.message.ScaleCommand;
import dev.syntra.protocol.message.StopCommand;
import dev.syntra.protocol.message.TelemetrySettings;
import dev.syntra.protocol.message.UpdateAgentCommand;
import dev.syntra.protocol.runtime.ExecOptions;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.LogOptions;
import dev.syntra.protocol.runtime.ServiceRef;

/** JSON mapping of the commands (control plane to agent). */
final class CommandJson {
  private CommandJson() {}

  static Command read(MessageType type, JsonIn in) {
    return switch (type) {
      case DEPLOY -> {
        var spec = RuntimeJson.deploySpec(in.object("spec"));
        yield in.build(() -> new DeployCommand(spec));
      }
      case STOP -> new StopCommand(service(in));
      case SCALE -> {
        ServiceRef service = service(in);
        int replicas = in.int32("replicas");
        yield in.build(() -> new ScaleCommand(service, replicas));
      }
      case RESTART -> new RestartCommand(service(in));
      case ROLLBACK -> {
        ServiceRef service = service(in);
        String deploymentId = in.string("deployment_id");
        String target = in.string("target_deployment_id");
        yield in.build(() -> new RollbackCommand(service, deploymentId, target));
      }
      case EXEC -> {
        ServiceRef service = service(in);
        var command = in.strings("command");
        JsonIn optionsIn = in.optObject("options");
        ExecOptions options =
            optionsIn == null ? ExecOptions.DEFAULTS : RuntimeJson.execOptions(optionsIn);
        yield in.build(() -> new ExecCommand(service, command, options));
      }
      case LOGS -> {
        LogsCommand.Action action = in.enumValue("action", LogsCommand.Action.class);
        String streamId = in.string("stream_id");
        JsonIn serviceIn = in.optObject("service");
        ServiceRef service = serviceIn == null ? null : RuntimeJson.serviceRef(serviceIn);
        JsonIn optionsIn = in.optObject("options");
        LogOptions options = optionsIn == null ? null : RuntimeJson.logOptions(optionsIn);
        yield in.build(() -> new LogsCommand(action, streamId, service, options));
      }
      case UPDATE_AGENT -> {
        String version = in.string("version");
        String url = in.string("url");
        String sha256 = in.string("sha256");
        String signature = in.optString("signature");
        yield in.build(() -> new UpdateAgentCommand(version, url, sha256, signature));
      }
      case CONFIGURE_HEALTH_CHECK -> {
        ServiceRef service = service(in);
        JsonIn checkIn = in.optObject("health_check");
        HealthCheck check = checkIn == null ? null : RuntimeJson.healthCheck(checkIn);
        yield in.build(() -> new ConfigureHealthCheckCommand(service, check));
      }
      case CONFIGURE_TELEMETRY -> {
        ServiceRef service = service(in);
        TelemetrySettings settings = TelemetryJson.settings(in.object("settings"));
        yield in.build(() -> new ConfigureTelemetryCommand(service, settings));
      }
      default -> throw new IllegalArgumentException(type + " is not a command");
    };
  }

  static void write(Command command, JsonOut out) {
    switch (command) {
      case DeployCommand c -> out.object("spec", c.spec(), RuntimeJson::deploySpec);
      case StopCommand c -> service(c.service(), out);
      case ScaleCommand c -> service(c.service(), out).int64("replicas", c.replicas());
      case RestartCommand c -> service(c.service(), out);
      case RollbackCommand c ->
          service(c.service(), out)
              .string("deployment_id", c.deploymentId())
              .string("target_deployment_id", c.targetDeploymentId());
      case ExecCommand c ->
          service(c.service(), out)
              .strings("command", c.command())
              .object("options", c.options(), RuntimeJson::execOptions);
      case LogsCommand c ->
          out.enumValue("action", c.action())
              .string("stream_id", c.streamId())
              .object("service", c.service(), RuntimeJson::serviceRef)
              .object("options", c.options(), RuntimeJson::logOptions);
      case UpdateAgentCommand c ->
          out.string("version", c.version())
              .string("url", c.url())
              .string("sha256", c.sha256())
              .string("signature", c.signature());
      case ConfigureHealthCheckCommand c ->
          service(c.service(), out)
              .object("health_check", c.healthCheck(), RuntimeJson::healthCheck);
      case ConfigureTelemetryCommand c ->
          service(c.service(), out).object("settings", c.settings(), TelemetryJson::settings);
    }
  }

  private static ServiceRef service(JsonIn in) {
    return RuntimeJson.serviceRef(in.object("service"));
  }

  private static JsonOut service(ServiceRef service, JsonOut out) {
    return out.object("service", service, RuntimeJson::serviceRef);
  }
}
