package dev.syntra.server.org;

import java.util.UUID;

/**
 * A member's role override in one project.
 *
 * @param role the role in this project: admin, developer or viewer
 * @param orgRole the member's organization role, for comparison
 */
public record ProjectMemberView(UUID projectId, UUID userId, String role, String orgRole) {}
