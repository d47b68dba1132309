package dev.syntra.server.fleet;

import dev.syntra.protocol.message.AgentHello;
import dev.syntra.protocol.message.HelloRejected;
import dev.syntra.protocol.security.TokenFormat;
import dev.syntra.protocol.security.TokenHash;
import dev.syntra.server.audit.AuditLog;
import dev.syntra.server.db.Tenancy;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The database side of agent sessions: exchanging a registration token for an agent credential,
 * authenticating reconnects, recording heartbeats and liveness. The agent's organization is learnt
 * from its token through narrow cross-tenant functions; everything else runs in that organization.
 */
@Component
public class AgentRegistry {
  /** The answer to an {@code agent_hello}. */
  public sealed interface Outcome {}

  /**
   * Accepted; {@code credential} is set on registration only (sent once). {@code link} names this
   * session in the server's row until another session of the agent (on any instance) replaces it.
   */
  public record Accepted(AgentRef ref, String agentId, @Nullable String credential, UUID link)
      implements Outcome {}

  public record Rejected(HelloRejected.Reason reason, String message) implements Outcome {}

  private record Registration(
      UUID id,
      UUID orgId,
      Instant expiresAt,
      @Nullable Instant registeredAt,
      @Nullable Instant confirmedAt) {}

  private record Known(
      UUID id, UUID orgId, @Nullable String tokenHash, @Nullable Instant revokedAt) {}

  private static final List<String> RUNTIMES = List.of("docker", "kubernetes");

  /** The shape of agent ids ({@code agt_} and base62); anything else is refused unread. */
  private static final Pattern AGENT_ID = Pattern.compile("agt_[0-9A-Za-z]{1,64}");

  private final Tenancy tenancy;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  AgentRegistry(Tenancy tenancy, Clock clock) {
    this.tenancy = tenancy;
    this.clock = clock;
  }

  public Outcome authenticate(AgentHello hello, String remoteAddress) {
    // Format and checksum first: a junk token or agent id costs no database lookup.
    if (!TokenFormat.AGENT.isWellFormed(hello.token())) {
      return new Rejected(
          HelloRejected.Reason.INVALID_TOKEN, "the token is not a well-formed syn_tkn_ token");
    }
    if (hello.agentId() != null && !AGENT_ID.matcher(hello.agentId()).matches()) {
      return new Rejected(
          HelloRejected.Reason.INVALID_TOKEN, "unknown agent id or wrong agent credential");
    }
    if (!RUNTIMES.contains(hello.runtime())) {
      return new Rejected(
          HelloRejected.Reason.INTERNAL,
          "unsupported runtime '" + limit(hello.runtime()) + "': this server knows " + RUNTIMES);
    }
    return hello.agentId() == null
        ? register(hello, remoteAddress)
        : reconnect(hello, remoteAddress);
  }

  private Outcome register(AgentHello hello, String remoteAddress) {
    String hash = TokenHash.of(hello.token()).value();
    Optional<Registration> found =
        tenancy.withoutOrg(
            null,
            h ->
                h.createQuery("SELECT * FROM syntra_find_server_by_registration(:hash)")
                    .bind("hash", hash)
                    .map((rs, ctx) ->
                        new Registration(
                            rs.getObject("id", UUID.class),
                            rs.getObject("org_id", UUID.class),
                            rs.getTimestamp("registration_expires_at").toInstant(),
                            instant(rs.getTimestamp("registered_at")),
                            instant(rs.getTimestamp("agent_confirmed_at"))))
                    .findOne());
    if (found.isEmpty()) {
      return new Rejected(HelloRejected.Reason.INVALID_TOKEN, "unknown registration token");
    }
    Registration server = found.get();
    // Registered but never confirmed (the agent never heartbeated or reconnected): its hello_ok
    // may have been lost, so the same token may register again, replacing that agent identity.
    if (server.confirmedAt() != null) {
      return reused();
    }
    if (!clock.instant().isBefore(server.expiresAt())) {
      return new Rejected(
          HelloRejected.Reason.TOKEN_EXPIRED,
          "this registration token expired at "
              + server.expiresAt()
              + "; create a new one with POST /api/v1/servers/{id}/registration-token");
    }
    String agentId = "agt_" + newAgentSuffix();
    UUID link = UUID.randomUUID();
    String credential = TokenFormat.AGENT.generate(random);
    boolean registered =
        tenancy.inOrg(
            server.orgId(),
            null,
            h -> {
              int rows =
                  h.createUpdate(
                          "UPDATE servers SET agent_id = :agent, agent_token_hash = :hash,"
                              + " registered_at = now(), agent_status = 'online',"
                              + " last_heartbeat_at = now(), agent_link = :link"
                              + HELLO_FACTS
                              + " WHERE org_id = :org AND id = :id AND agent_confirmed_at IS NULL")
                      .bind("agent", agentId)
                      .bind("hash", TokenHash.of(credential).value())
                      .bind("link", link)
                      .bind("org", server.orgId())
                      .bind("id", server.id())
                      .bindMap(helloFacts(hello, remoteAddress))
                      .execute();
              if (rows == 1) {
                AuditLog.record(
                    h,
                    server.orgId(),
                    null,
                    null,
                    remoteAddress,
                    "agent.registered",
                    "server",
                    server.id(),
                    Map.of("agent_id", agentId, "hostname", hello.hostname()));
              }
              return rows == 1;
            });
    return registered
        ? new Accepted(new AgentRef(server.orgId(), server.id()), agentId, credential, link)
        : reused();
  }

  private Outcome reconnect(AgentHello hello, String remoteAddress) {
    Optional<Known> found =
        tenancy.withoutOrg(
            null,
            h ->
                h.createQuery("SELECT * FROM syntra_find_server_by_agent(:agent)")
                    .bind("agent", hello.agentId())
                    .map((rs, ctx) ->
                        new Known(
                            rs.getObject("id", UUID.class),
                            rs.getObject("org_id", UUID.class),
                            rs.getString("agent_token_hash"),
                            instant(rs.getTimestamp("agent_revoked_at"))))
                    .findOne());
    if (found.isEmpty()
        || found.get().tokenHash() == null
        || !new TokenHash(found.get().tokenHash()).matches(hello.token())) {
      return new Rejected(
          HelloRejected.Reason.INVALID_TOKEN, "unknown agent id or wrong agent credential");
    }
    Known server = found.get();
    if (server.revokedAt() != null) {
      return new Rejected(
          HelloRejected.Reason.AGENT_REVOKED,
          "this agent was revoked at " + server.revokedAt() + "; register it again");
    }
    UUID link = UUID.randomUUID();
    // Revoked or deleted since the lookup above: the row no longer matches and nothing is marked.
    int marked =
        tenancy.inOrg(
            server.orgId(),
            null,
            h ->
                h.createUpdate(
                        "UPDATE servers SET agent_status = 'online', last_heartbeat_at = now(),"
                            + " agent_confirmed_at = coalesce(agent_confirmed_at, now()),"
                            + " agent_link = :link"
                            + HELLO_FACTS
                            + " WHERE org_id = :org AND id = :id AND agent_revoked_at IS NULL")
                    .bind("org", server.orgId())
                    .bind("id", server.id())
                    .bind("link", link)
                    .bindMap(helloFacts(hello, remoteAddress))
                    .execute());
    if (marked != 1) {
      return new Rejected(
          HelloRejected.Reason.AGENT_REVOKED,
          "this agent was revoked or its server deleted; register it again");
    }
    return new Accepted(new AgentRef(server.orgId(), server.id()), hello.agentId(), null, link);
  }

  /** Records a heartbeat: the server is online, and its latest report is kept as received. */
  public void heartbeat(AgentRef ref, String rawEnvelope) {
    tenancy.inOrg(
        ref.orgId(),
        null,
        h ->
            h.createUpdate(
                    "UPDATE servers SET last_heartbeat_at = now(), agent_status = 'online',"
                        + " agent_confirmed_at = coalesce(agent_confirmed_at, now()),"
                        + " last_heartbeat = CAST(:report AS jsonb)"
                        + " WHERE org_id = :org AND id = :id")
                .bind("report", rawEnvelope)
                .bind("org", ref.orgId())
                .bind("id", ref.serverId())
                .execute());
  }

  /**
   * Marks the server offline because {@code link} closed. A no-op if it was not online, or if the
   * agent has opened another link since (on this instance or another: the row names that one).
   */
  public void markOffline(AgentRef ref, UUID link) {
    tenancy.inOrg(
        ref.orgId(),
        null,
        h ->
            h.createUpdate(
                    "UPDATE servers SET agent_status = 'offline'"
                        + " WHERE org_id = :org AND id = :id AND agent_status = 'online'"
                        + " AND agent_link = :link")
                .bind("org", ref.orgId())
                .bind("id", ref.serverId())
                .bind("link", link)
                .execute());
  }

  /** Whether the server's row still names {@code link} as its agent's link. */
  public boolean isCurrentLink(AgentRef ref, UUID link) {
    return tenancy.inOrg(
        ref.orgId(),
        null,
        h ->
            h.createQuery(
                        "SELECT count(*) FROM servers WHERE org_id = :org AND id = :id"
                            + " AND agent_link = :link")
                    .bind("org", ref.orgId())
                    .bind("id", ref.serverId())
                    .bind("link", link)
                    .mapTo(Integer.class)
                    .one()
                == 1);
  }

  /**
   * Marks offline every online server without a heartbeat for {@code offlineAfter}, by the
   * database's clock (instances may disagree about the time; a heartbeat received by any instance
   * counts), and returns those it marked.
   */
  public List<AgentRef> markStale(Duration offlineAfter) {
    String after = offlineAfter.toMillis() + " milliseconds";
    List<AgentRef> stale =
        tenancy.withoutOrg(
            null,
            h ->
                h.createQuery(
                        "SELECT * FROM syntra_stale_online_servers_after(CAST(:after AS interval))")
                    .bind("after", after)
                    .map((rs, ctx) ->
                        new AgentRef(
                            rs.getObject("org_id", UUID.class), rs.getObject("id", UUID.class)))
                    .list());
    List<AgentRef> marked = new ArrayList<>();
    for (AgentRef ref : stale) {
      int rows =
          tenancy.inOrg(
              ref.orgId(),
              null,
              h ->
                  h.createUpdate(
                          "UPDATE servers SET agent_status = 'offline'"
                              + " WHERE org_id = :org AND id = :id AND agent_status = 'online'"
                              + " AND (last_heartbeat_at IS NULL"
                              + " OR last_heartbeat_at < now() - CAST(:after AS interval))")
                      .bind("org", ref.orgId())
                      .bind("id", ref.serverId())
                      .bind("after", after)
                      .execute());
      if (rows == 1) {
        marked.add(ref); // a heartbeat in between keeps the server online
      }
    }
    return marked;
  }

  private static final String HELLO_FACTS =
      ", hostname = :hostname, os = :os, arch = :arch, runtime = :runtime,"
          + " agent_version = :version, cpu_cores = :cpu, memory_bytes = :memory,"
          + " disk_bytes = :disk, ip_address = :ip";

  private static Map<String, Object> helloFacts(AgentHello hello, String remoteAddress) {
    return Map.of(
        "hostname", limit(hello.hostname()),
        "os", limit(hello.os()),
        "arch", limit(hello.arch()),
        "runtime", hello.runtime(),
        "version", limit(hello.version()),
        "cpu", hello.resources().cpuCores(),
        "memory", hello.resources().memoryBytes(),
        "disk", hello.resources().diskBytes(),
        "ip", remoteAddress);
  }

  /** Free-text facts from agents are stored bounded. */
  private static String limit(String value) {
    return value.length() <= 253 ? value : value.substring(0, 253);
  }

  /** 20 random base62 characters (about 119 bits). */
  private String newAgentSuffix() {
    String token = TokenFormat.AGENT.generate(random);
    int start = TokenFormat.AGENT.prefix().length();
    return token.substring(start, start + 20);
  }

  private static Rejected reused() {
    return new Rejected(
        HelloRejected.Reason.TOKEN_REUSED,
        "this registration token was already used; create a new server or registration token");
  }

  private static @Nullable Instant instant(@Nullable Timestamp ts) {
    return ts == null ? null : ts.toInstant();
  }
}
