package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * First message on a connection. The agent presents either its one-time registration token (first
 * start; {@code agentId} is null) or its long-lived agent credential. The server answers with
 * {@link HelloOk} or {@link HelloRejected}; nothing else is accepted before that.
 *
 * @param agentId the id the server assigned at registration, or null when registering
 * @param token registration token or agent credential ({@code syn_tkn_…}); never logged
 * @param version agent version, e.g. {@code 0.1.0}
 * @param runtime runtime the agent drives: {@code docker} or {@code kubernetes}
 * @param os operating system, e.g. {@code debian-12}
 * @param arch CPU architecture, e.g. {@code x86_64}
 * @param hostname the machine's host name
 * @param resources capacity of the machine
 * @param csrPem a PKCS#10 certificate request (PEM) for an mTLS client certificate, or null
 */
public record AgentHello(
    @Nullable String agentId,
    String token,
    String version,
    String runtime,
    String os,
    String arch,
    String hostname,
    Resources resources,
    @Nullable String csrPem)
    implements AgentMessage {

  /** Machine capacity. */
  public record Resources(int cpuCores, long memoryBytes, long diskBytes) {
    public Resources {
      Checks.range(cpuCores, 1, 65_536, "cpu_cores");
      Checks.nonNegative(memoryBytes, "memory_bytes");
      Checks.nonNegative(diskBytes, "disk_bytes");
    }
  }

  public AgentHello {
    if (agentId != null) {
      Checks.identifier(agentId, "agent_id");
    }
    Checks.notBlank(token, "token");
    Checks.notBlank(version, "version");
    Checks.notBlank(runtime, "runtime");
    Checks.notBlank(os, "os");
    Checks.notBlank(arch, "arch");
    Checks.notBlank(hostname, "hostname");
    Checks.notNull(resources, "resources");
  }

  @Override
  public MessageType type() {
    return MessageType.AGENT_HELLO;
  }

  @Override
  public String toString() {
    return "AgentHello[agentId="
        + agentId
        + ", token=***, version="
        + version
        + ", runtime="
        + runtime
        + ", os="
        + os
        + ", arch="
        + arch
        + ", hostname="
        + hostname
        + ", resources="
        + resources
        + ", csrPem="
        + (csrPem == null ? "none" : "present")
        + "]";
  }
}
