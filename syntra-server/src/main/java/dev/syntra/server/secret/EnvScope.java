package dev.syntra.server.secret;

import java.util.Locale;
import java.util.UUID;

/**
 * Where env vars live: a project (shared by all its services) or one service.
 *
 * @param id the project's or the service's id
 * @param projectId the project (for a project scope, equal to {@code id})
 */
record EnvScope(Kind kind, UUID id, UUID projectId) {
  /** The two kinds of scope. */
  enum Kind {
    PROJECT,
    SERVICE;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static EnvScope project(UUID projectId) {
    return new EnvScope(Kind.PROJECT, projectId, projectId);
  }

  static EnvScope service(UUID serviceId, UUID projectId) {
    return new EnvScope(Kind.SERVICE, serviceId, projectId);
  }

  /**
   * What a ciphertext is bound to, {@code env:<project|service>:<scope id>:<KEY>}: a value copied
   * to another key or scope does not decrypt.
   */
  String associatedData(String key) {
    return "env:" + kind.wireName() + ":" + id + ":" + key;
  }

  /** The rows of this scope, as a SQL condition on {@code env_vars} using {@code :scope}. */
  String condition() {
    return kind == Kind.SERVICE
        ? "service_id = :scope"
        : "project_id = :scope AND service_id IS NULL";
  }
}
