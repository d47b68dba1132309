package dev.syntra.server.fleet;

import java.util.UUID;

/** The server record an agent session belongs to, and its organization. */
public record AgentRef(UUID orgId, UUID serverId) {}
