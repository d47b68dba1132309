package dev.syntra.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A server registered through the REST API, as a user does before installing the agent: its id, the
 * one-time registration token and the hub CA's pin from the install command.
 */
record ServerRegistration(String serverId, String token, String caSha256) {
  private static final Pattern CA_PIN = Pattern.compile("--ca-sha256 ([0-9a-f]{64})");

  /** {@code POST /api/v1/servers} with {@code name}. */
  static ServerRegistration create(Rest rest, String name) {
    JsonNode created = rest.post("/api/v1/servers", Map.of("name", name)).expect(201).json();
    Matcher pin = CA_PIN.matcher(created.get("install_command").stringValue());
    assertThat(pin.find()).as(created.toString()).isTrue();
    return new ServerRegistration(
        created.get("server").get("id").stringValue(),
        created.get("registration_token").stringValue(),
        pin.group(1));
  }

  /** The agent's {@code run} arguments for {@code server}; {@code token} null once registered. */
  List<String> agentArgs(ControlPlane server, @Nullable String token) {
    List<String> args =
        new ArrayList<>(
            List.of("--endpoint", server.hubUrl(), "--ca-sha256", caSha256, "--runtime", "docker"));
    if (token != null) {
      args.add("--token");
      args.add(token);
    }
    return args;
  }

  /** Waits (at most a minute) until the API shows the server online; fails if the agent exits. */
  void awaitOnline(Rest rest, AgentProcess agent) {
    await()
        .atMost(Duration.ofSeconds(60))
        .failFast("the agent exited:\n" + agent.output(), () -> !agent.alive())
        .until(() ->
            "online"
                .equals(
                    rest.get("/api/v1/servers/" + serverId).json().get("status").stringValue()));
  }
}
