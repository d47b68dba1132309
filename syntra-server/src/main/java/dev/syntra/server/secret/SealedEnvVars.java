package dev.syntra.server.secret;

import dev.syntra.server.crypto.SealedRow;
import dev.syntra.server.crypto.SealedRows;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.springframework.stereotype.Component;

/** The env var values of an organization, for key rotation. */
@Component
class SealedEnvVars implements SealedRows {

  @Override
  public String kind() {
    return "env_vars";
  }

  @Override
  public List<SealedRow> page(Handle h, UUID orgId, UUID after, int limit) {
    return h.createQuery(
            "SELECT id, ciphertext, key_version, project_id, service_id, key FROM env_vars"
                + " WHERE org_id = :org AND id > :after ORDER BY id LIMIT :limit")
        .bind("org", orgId)
        .bind("after", after)
        .bind("limit", limit)
        .map((rs, ctx) -> {
          UUID projectId = rs.getObject("project_id", UUID.class);
          UUID serviceId = rs.getObject("service_id", UUID.class);
          EnvScope scope =
              serviceId == null
                  ? EnvScope.project(projectId)
                  : EnvScope.service(serviceId, projectId);
          return new SealedRow(
              rs.getObject("id", UUID.class),
              rs.getBytes("ciphertext"),
              rs.getInt("key_version"),
              scope.associatedData(rs.getString("key")));
        })
        .list();
  }

  @Override
  public void replace(Handle h, UUID orgId, UUID id, byte[] ciphertext, int keyVersion) {
    h.createUpdate(
            "UPDATE env_vars SET ciphertext = :ciphertext, key_version = :version"
                + " WHERE org_id = :org AND id = :id")
        .bind("ciphertext", ciphertext)
        .bind("version", keyVersion)
        .bind("org", orgId)
        .bind("id", id)
        .execute();
  }
}
