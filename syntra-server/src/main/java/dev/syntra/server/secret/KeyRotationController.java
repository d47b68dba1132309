package dev.syntra.server.secret;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.audit.AuditLog;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import dev.syntra.server.db.Tenancy;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/organizations/{id}/keys/rotate} (OWNER): a new key version for the caller's
 * organization, every secret re-sealed under it, audited as {@code keys.rotated}.
 */
@RestController
class KeyRotationController {
  private final Tenancy tenancy;
  private final KeyRotation rotation;

  KeyRotationController(Tenancy tenancy, KeyRotation rotation) {
    this.tenancy = tenancy;
    this.rotation = rotation;
  }

  @PostMapping("/api/v1/organizations/{id}/keys/rotate")
  KeyRotation.Result rotate(Caller caller, @PathVariable UUID id) {
    // A token acts in exactly one organization; any other id is one it cannot see.
    if (!id.equals(caller.orgId())) {
      throw ApiException.notFound("organization");
    }
    caller.require(Permission.OWNER);
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          KeyRotation.Result result = rotation.rotate(h, caller.orgId());
          AuditLog.record(
              h,
              caller,
              "keys.rotated",
              "organization",
              caller.orgId(),
              Map.of(
                  "key_version",
                  result.keyVersion(),
                  "env_vars",
                  result.envVars(),
                  "webhooks",
                  result.webhooks(),
                  "agent_commands",
                  result.agentCommands()));
          return result;
        });
  }
}
