package dev.syntra.server.org;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Role;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who may change whose organization role. Callers already hold the admin permission; on top:
 *
 * <ul>
 *   <li>only an owner may grant the owner role, or change or remove an owner;
 *   <li>only an owner may make someone an admin (by role change or invitation), so admins cannot
 *       multiply themselves;
 *   <li>the last owner can never be demoted or removed: an organization always has an owner.
 * </ul>
 */
final class RoleRules {
  /** Roles a member can be given by an invitation or a project override. */
  static final Set<String> INVITABLE =
      Set.of(Role.ADMIN.wireName(), Role.DEVELOPER.wireName(), Role.VIEWER.wireName());

  /** Every organization role. */
  static final Set<String> ALL =
      Set.of(
          Role.OWNER.wireName(),
          Role.ADMIN.wireName(),
          Role.DEVELOPER.wireName(),
          Role.VIEWER.wireName());

  private RoleRules() {}

  /**
   * Checks a change of a member's role from {@code current} to {@code next} ({@code null}: the
   * member is removed), given how many owners the organization has now.
   */
  static void checkChange(Caller caller, Role current, @Nullable Role next, long owners) {
    boolean ownerInvolved = current == Role.OWNER || next == Role.OWNER;
    if (ownerInvolved && caller.role() != Role.OWNER) {
      throw ApiException.forbidden("only an owner may grant, change or remove the owner role");
    }
    if (next == Role.ADMIN && current != Role.ADMIN) {
      checkMayGrantAdmin(caller);
    }
    if (current == Role.OWNER && next != Role.OWNER && owners <= 1) {
      throw ApiException.conflict(
          "this is the organization's last owner: make another member owner first");
    }
  }

  static void checkMayGrantAdmin(Caller caller) {
    if (caller.role() != Role.OWNER) {
      throw ApiException.forbidden("only an owner may make someone an admin");
    }
  }
}
