package dev.syntra.server.hub;

import static dev.syntra.server.hub.AgentHubTest.hello;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.protocol.ProtocolLimits;
import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.DeployCommand;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.HelloOk;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.server.Api;
import dev.syntra.server.ServerSettings;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import dev.syntra.server.api.ApiException;
import dev.syntra.server.command.AgentCommands;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * One command size limit end to end ({@link ProtocolLimits#MAX_TEXT_MESSAGE_BYTES}): a command of
 * exactly the limit is queued, carried by the hub and decoded by the agent's decoder; one byte more
 * is refused at enqueue with 422 {@code command_too_large}.
 */
class CommandSizeLimitTest extends ServerTestSupport {
  private static final int LIMIT = ProtocolLimits.MAX_TEXT_MESSAGE_BYTES;

  /** What the agent decodes with: a codec bounded by the shared limit. */
  private final MessageCodec agentCodec =
      MessageCodec.create(ProtocolLimits.MAX_TEXT_MESSAGE_BYTES);

  @Autowired private AgentHub hub;
  @Autowired private AgentCommands commands;
  @Autowired private ServerSettings settings;

  @Test
  void aCommandOfExactlyTheLimitArrivesAndOneByteMoreIsRefused() throws Exception {
    Tenants.Member owner = tenants.newOrganization();
    Api client = api.as(owner.token());
    Api.Response created = client.post("/api/v1/servers", Map.of("name", "limit"));
    UUID serverId = UUID.fromString(created.json().get("server").get("id").stringValue());
    String token = created.json().get("registration_token").stringValue();

    DeployCommand tooLarge = commandOfSize(LIMIT + 1);
    assertThatThrownBy(() -> enqueue(owner, serverId, tooLarge))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status().value()).isEqualTo(422);
              assertThat(e.code()).isEqualTo("command_too_large");
            });

    DeployCommand atLimit = commandOfSize(LIMIT);
    UUID id = enqueue(owner, serverId, atLimit);
    try (TestAgentLink link =
        TestAgentLink.connect(hub.localUrl(), settings.dataDir().resolve("hub/ca.crt"))) {
      link.send(hello(null, token));
      link.next(HelloOk.class);
      Envelope delivered = link.nextEnvelope(DeployCommand.class);
      assertThat(delivered.id()).isEqualTo(id.toString());
      // The link decoded it with the agent's bound; so does the agent's codec, as sent.
      byte[] wire = agentCodec.encodeToBytes(delivered);
      assertThat(wire.length).isLessThanOrEqualTo(LIMIT);
      assertThat(agentCodec.decode(wire).payload()).isEqualTo(atLimit);
    }
  }

  private UUID enqueue(Tenants.Member owner, UUID serverId, DeployCommand command) {
    return tenancy.inOrg(
        owner.orgId(), null, h -> commands.enqueue(h, owner.orgId(), serverId, null, command));
  }

  /**
   * A deploy command whose envelope, with the longest timestamp delivery can stamp on it, is {@code
   * bytes} long.
   */
  private static DeployCommand commandOfSize(int bytes) {
    int filler = 64;
    DeployCommand command = command(filler);
    int size = worstCaseSize(command);
    for (int round = 0; size != bytes; round++) {
      assertThat(round).as("sizing the command").isLessThan(20);
      filler += bytes - size;
      command = command(filler);
      size = worstCaseSize(command);
    }
    return command;
  }

  private static DeployCommand command(int fillerChars) {
    DeploySpec.Builder spec =
        DeploySpec.builder(
            "00000000-0000-0000-0000-000000000001",
            new ServiceRef("k3x9a2", "shop", "web"),
            "busybox:1");
    int chunk = 60_000;
    for (int i = 0; fillerChars > 0; i++, fillerChars -= chunk) {
      spec.env("FILL_" + i, "x".repeat(Math.min(chunk, fillerChars)));
    }
    return new DeployCommand(spec.build());
  }

  private static int worstCaseSize(DeployCommand command) {
    Envelope envelope =
        new Envelope(
            1,
            UUID.randomUUID().toString(),
            Instant.parse("2026-01-02T03:04:05.123456789Z"),
            "n".repeat(22),
            null,
            command);
    return MessageCodec.create().encodeToBytes(envelope).length;
  }
}
