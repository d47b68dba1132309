package dev.syntra.protocol.json.internal;

import dev.syntra.protocol.message.AgentHello;
import dev.syntra.protocol.message.Alert;
import dev.syntra.protocol.message.Command;
import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.DeployStatus;
import dev.syntra.protocol.message.Heartbeat;
import dev.syntra.protocol.message.HelloOk;
import dev.syntra.protocol.message.HelloRejected;
import dev.syntra.protocol.message.LogChunk;
import dev.syntra.protocol.message.Message;
import dev.syntra.protocol.message.MessageType;
import dev.syntra.protocol.message.ProtocolError;
import dev.syntra.protocol.message.TelemetryAck;
import dev.syntra.protocol.message.Throttle;

/** Maps a payload object to and from its message record, by message type. */
public final class PayloadJson {
  private PayloadJson() {}

  public static Message read(MessageType type, JsonIn in) {
    return switch (type) {
      case AGENT_HELLO -> AgentJson.hello(in);
      case HELLO_OK -> SessionJson.helloOk(in);
      case HELLO_REJECTED -> SessionJson.helloRejected(in);
      case DEPLOY,
          STOP,
          SCALE,
          RESTART,
          ROLLBACK,
          EXEC,
          LOGS,
          UPDATE_AGENT,
          CONFIGURE_HEALTH_CHECK,
          CONFIGURE_TELEMETRY ->
          CommandJson.read(type, in);
      case TELEMETRY_ACK -> SessionJson.telemetryAck(in);
      case THROTTLE -> SessionJson.throttle(in);
      case HEARTBEAT -> AgentJson.heartbeat(in);
      case DEPLOY_STATUS -> AgentJson.deployStatus(in);
      case COMMAND_RESULT -> AgentJson.commandResult(in);
      case LOG_CHUNK -> AgentJson.logChunk(in);
      case ALERT -> AgentJson.alert(in);
      case ERROR -> SessionJson.error(in);
    };
  }

  public static void write(Message message, JsonOut out) {
    switch (message) {
      case AgentHello m -> AgentJson.hello(m, out);
      case Heartbeat m -> AgentJson.heartbeat(m, out);
      case DeployStatus m -> AgentJson.deployStatus(m, out);
      case CommandResult m -> AgentJson.commandResult(m, out);
      case LogChunk m -> AgentJson.logChunk(m, out);
      case Alert m -> AgentJson.alert(m, out);
      case ProtocolError m -> SessionJson.error(m, out);
      case HelloOk m -> SessionJson.helloOk(m, out);
      case HelloRejected m -> SessionJson.helloRejected(m, out);
      case TelemetryAck m -> SessionJson.telemetryAck(m, out);
      case Throttle m -> SessionJson.throttle(m, out);
      case Command m -> CommandJson.write(m, out);
    }
  }
}
