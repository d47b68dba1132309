package dev.syntra.server.org;

import java.util.Locale;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Who may found organizations through the API. Each organization carries its own plan limits, so
 * unbounded creation would multiply them.
 *
 * <ul>
 *   <li>{@code SYNTRA_MAX_ORGANIZATIONS_PER_USER}, default 5: organizations one user may found (the
 *       bootstrap organization counts for its owner); 0 forbids founding any.
 *   <li>{@code SYNTRA_SELF_SERVICE_ORGANIZATIONS}, default true: false reserves founding to the
 *       operator, an owner of the installation's {@code default} organization (the one the first
 *       start creates).
 * </ul>
 */
@Component
final class OrganizationLimits {
  static final String MAX_PER_USER = "SYNTRA_MAX_ORGANIZATIONS_PER_USER";
  static final String SELF_SERVICE = "SYNTRA_SELF_SERVICE_ORGANIZATIONS";

  /** The slug of the organization the first start creates, the operator's own. */
  static final String OPERATOR_SLUG = "default";

  private final int maxPerUser;
  private final boolean selfService;

  OrganizationLimits(Environment env) {
    String max = env.getProperty(MAX_PER_USER, "5").strip();
    if (!max.matches("\\d{1,6}")) {
      throw new IllegalStateException(
          MAX_PER_USER + ": expected a number of organizations (0 or more), got '" + max + "'");
    }
    String self = env.getProperty(SELF_SERVICE, "true").strip().toLowerCase(Locale.ROOT);
    if (!self.equals("true") && !self.equals("false")) {
      throw new IllegalStateException(
          SELF_SERVICE + ": expected true or false, got '" + self + "'");
    }
    this.maxPerUser = Integer.parseInt(max);
    this.selfService = self.equals("true");
  }

  int maxPerUser() {
    return maxPerUser;
  }

  boolean selfService() {
    return selfService;
  }
}
