package dev.syntra.server.project;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A project as the API shows it. */
public record ProjectView(
    UUID id,
    String name,
    String slug,
    String description,
    @Nullable String gitRepoUrl,
    @Nullable String gitBranch,
    Instant createdAt,
    Instant updatedAt) {

  /** The webhook payload of project events. */
  Map<String, Object> event() {
    return Map.of("project_id", id.toString(), "name", name, "slug", slug);
  }
}
