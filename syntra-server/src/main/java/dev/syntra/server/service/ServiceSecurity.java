package dev.syntra.server.service;

import dev.syntra.protocol.runtime.SecurityOptions;
import dev.syntra.server.api.JsonBody;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code security} object of a service: {@code no_new_privileges}, {@code cap_drop}, {@code
 * cap_add}. Absent keeps the current options, {@code null} restores {@link
 * SecurityOptions#DEFAULTS}, an object overrides the fields it gives.
 */
final class ServiceSecurity {
  private static final Pattern CAPABILITY = Pattern.compile("ALL|[A-Z][A-Z_]{1,31}");
  private static final String RULE =
      "must be a capability name in upper case without CAP_ (e.g. NET_ADMIN) or ALL";

  private ServiceSecurity() {}

  static SecurityOptions read(JsonBody body, SecurityOptions base) {
    if (!body.given("security")) {
      return base;
    }
    JsonBody security = body.object("security", false);
    if (security == null) {
      return SecurityOptions.DEFAULTS;
    }
    Boolean noNewPrivileges = security.bool("no_new_privileges", false);
    List<String> drop = capabilities(security, "cap_drop");
    List<String> add = capabilities(security, "cap_add");
    return new SecurityOptions(
        noNewPrivileges != null ? noNewPrivileges : base.noNewPrivileges(),
        drop != null ? drop : base.capDrop(),
        add != null ? add : base.capAdd());
  }

  private static @Nullable List<String> capabilities(JsonBody security, String field) {
    List<String> names =
        security.strings(
            field,
            false,
            64,
            c -> CAPABILITY.matcher(c).matches() && !c.startsWith("CAP_") ? null : RULE);
    return names == null ? null : names.stream().distinct().toList();
  }
}
