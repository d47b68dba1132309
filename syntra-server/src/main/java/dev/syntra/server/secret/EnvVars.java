package dev.syntra.server.secret;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.crypto.KeyVersions;
import dev.syntra.server.crypto.SecretBox;
import dev.syntra.server.db.Ids;
import dev.syntra.server.service.ServiceView;
import dev.syntra.server.service.Services;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Env var rows: only {@link SecretBox} ciphertext is stored, bound to its scope and key, under the
 * organization's current key version. Every query names the organization, and RLS enforces it
 * again. Plaintext never leaves this class except as return values; nothing here logs.
 */
@Component
public class EnvVars {
  private final SecretBox box;
  private final Services services;

  EnvVars(SecretBox box, Services services) {
    this.box = box;
    this.services = services;
  }

  /** A stored row; the value is still sealed. */
  record Stored(UUID id, String key, byte[] ciphertext, int keyVersion, Instant updatedAt) {}

  /** What a write changed: every key set, changed or removed, and the removed ones (sorted). */
  record Change(List<String> keys, List<String> removed) {}

  /**
   * The environment of a service as it is deployed: its project's variables overlaid by its own,
   * every {@code ${{…}}} reference resolved (see {@link EnvResolver}), sorted by key. Call it
   * inside {@code tenancy.inOrg(orgId, …)}; the result holds plaintext secrets.
   *
   * @throws ApiException 404 if the service does not exist in the organization, 422 ({@code
   *     unresolved_reference}) naming the reference that cannot be resolved
   */
  public Map<String, String> resolveForDeploy(Handle h, UUID orgId, UUID serviceId) {
    ServiceView service = services.require(h, orgId, serviceId);
    ProjectEnvSource source =
        new ProjectEnvSource(
            h, orgId, service.projectId(), this, services.siblings(h, orgId, service.projectId()));
    try {
      return new EnvResolver(source).resolveService(service.name());
    } catch (EnvResolver.ReferenceException e) {
      throw new ApiException(
          HttpStatus.UNPROCESSABLE_CONTENT,
          "unresolved_reference",
          "the environment of service '"
              + service.name()
              + "' cannot be resolved: "
              + e.getMessage());
    }
  }

  /** The rows of a scope, by key. */
  List<Stored> stored(Handle h, UUID orgId, EnvScope scope) {
    return h.createQuery(
            "SELECT id, key, ciphertext, key_version, updated_at FROM env_vars"
                + " WHERE org_id = :org AND "
                + scope.condition()
                + " ORDER BY key COLLATE \"C\"")
        .bind("org", orgId)
        .bind("scope", scope.id())
        .map((rs, ctx) -> read(rs))
        .list();
  }

  /** The decrypted variables of a scope, by key. */
  Map<String, String> values(Handle h, UUID orgId, EnvScope scope) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Stored row : stored(h, orgId, scope)) {
      values.put(row.key(), open(orgId, scope, row));
    }
    return values;
  }

  String open(UUID orgId, EnvScope scope, Stored row) {
    return box.open(orgId, row.keyVersion(), row.ciphertext(), scope.associatedData(row.key()));
  }

  /**
   * Sets {@code vars} in {@code scope}; with {@code replace}, also removes every other variable.
   * Values equal to the stored ones are left alone (and not reported as changed).
   *
   * @param countPath the error path when the scope would exceed {@link EnvRules#MAX_VARS}
   */
  Change apply(
      Handle h,
      UUID orgId,
      UUID userId,
      EnvScope scope,
      Map<String, String> vars,
      boolean replace,
      String countPath) {
    lock(h, orgId, scope);
    int keyVersion = KeyVersions.currentForSealing(h, orgId);
    Map<String, Stored> existing = new LinkedHashMap<>();
    stored(h, orgId, scope).forEach(row -> existing.put(row.key(), row));
    TreeSet<String> after = new TreeSet<>(vars.keySet());
    if (!replace) {
      after.addAll(existing.keySet());
    }
    if (after.size() > EnvRules.MAX_VARS) {
      throw ApiException.invalid(countPath, EnvRules.tooMany(after.size()));
    }
    TreeSet<String> changed = new TreeSet<>();
    TreeSet<String> removed = new TreeSet<>();
    for (Map.Entry<String, String> entry : vars.entrySet()) {
      Stored old = existing.get(entry.getKey());
      if (old != null && open(orgId, scope, old).equals(entry.getValue())) {
        continue;
      }
      byte[] sealed =
          box.seal(orgId, keyVersion, entry.getValue(), scope.associatedData(entry.getKey()));
      if (old == null) {
        insert(h, orgId, userId, scope, entry.getKey(), sealed, keyVersion);
      } else {
        update(h, orgId, userId, old.id(), sealed, keyVersion);
      }
      changed.add(entry.getKey());
    }
    if (replace) {
      for (Stored old : existing.values()) {
        if (!vars.containsKey(old.key())) {
          deleteRow(h, orgId, old.id());
          changed.add(old.key());
          removed.add(old.key());
        }
      }
    }
    return new Change(List.copyOf(changed), List.copyOf(removed));
  }

  /** Removes one variable; false if the scope has no such key. */
  boolean delete(Handle h, UUID orgId, EnvScope scope, String key) {
    lock(h, orgId, scope);
    return h.createUpdate(
                "DELETE FROM env_vars WHERE org_id = :org AND "
                    + scope.condition()
                    + " AND key = :key")
            .bind("org", orgId)
            .bind("scope", scope.id())
            .bind("key", key)
            .execute()
        > 0;
  }

  /**
   * Serializes writers of one scope (so the diff and the variable count hold), without blocking
   * readers or foreign-key checks.
   */
  private static void lock(Handle h, UUID orgId, EnvScope scope) {
    String table = scope.kind() == EnvScope.Kind.SERVICE ? "services" : "projects";
    h.createQuery("SELECT id FROM " + table + " WHERE org_id = :org AND id = :id FOR NO KEY UPDATE")
        .bind("org", orgId)
        .bind("id", scope.id())
        .mapTo(UUID.class)
        .findOne()
        .orElseThrow(() -> ApiException.notFound(scope.kind().wireName()));
  }

  private static void insert(
      Handle h, UUID orgId, UUID userId, EnvScope scope, String key, byte[] sealed, int version) {
    h.createUpdate(
            "INSERT INTO env_vars (id, org_id, project_id, service_id, key, ciphertext, key_version,"
                + " updated_by) VALUES (:id, :org, :project, :service, :key, :ciphertext,"
                + " :version, :user)")
        .bind("id", Ids.next())
        .bind("org", orgId)
        .bind("project", scope.projectId())
        .bind("service", scope.kind() == EnvScope.Kind.SERVICE ? scope.id() : null)
        .bind("key", key)
        .bind("ciphertext", sealed)
        .bind("version", version)
        .bind("user", userId)
        .execute();
  }

  private static void update(
      Handle h, UUID orgId, UUID userId, UUID id, byte[] sealed, int version) {
    h.createUpdate(
            "UPDATE env_vars SET ciphertext = :ciphertext, key_version = :version,"
                + " updated_by = :user, updated_at = now() WHERE org_id = :org AND id = :id")
        .bind("ciphertext", sealed)
        .bind("version", version)
        .bind("user", userId)
        .bind("org", orgId)
        .bind("id", id)
        .execute();
  }

  private static void deleteRow(Handle h, UUID orgId, UUID id) {
    h.createUpdate("DELETE FROM env_vars WHERE org_id = :org AND id = :id")
        .bind("org", orgId)
        .bind("id", id)
        .execute();
  }

  private static Stored read(ResultSet rs) throws SQLException {
    return new Stored(
        rs.getObject("id", UUID.class),
        rs.getString("key"),
        rs.getBytes("ciphertext"),
        rs.getInt("key_version"),
        rs.getTimestamp("updated_at").toInstant());
  }
}
