package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a replica is confined. The defaults ({@link #DEFAULTS}) forbid gaining privileges through
 * set-uid binaries and drop every Linux capability except the few that ordinary images need to
 * start as root and switch to their own user (the set most web servers and databases use); a
 * service adds back what it really needs.
 *
 * @param noNewPrivileges set {@code no-new-privileges} (Docker) / {@code allowPrivilegeEscalation:
 *     false} (Kubernetes)
 * @param capDrop capabilities removed, upper case without the {@code CAP_} prefix, or {@code ALL}
 * @param capAdd capabilities added after dropping, same form
 */
public record SecurityOptions(boolean noNewPrivileges, List<String> capDrop, List<String> capAdd) {
  private static final Pattern CAPABILITY = Pattern.compile("[A-Z][A-Z_]{1,31}");

  /** Capabilities an image keeps by default after {@code ALL} is dropped. */
  public static final List<String> DEFAULT_CAPABILITIES =
      List.of(
          "CHOWN",
          "DAC_OVERRIDE",
          "FOWNER",
          "FSETID",
          "KILL",
          "NET_BIND_SERVICE",
          "SETGID",
          "SETUID");

  /** {@code no-new-privileges}, drop {@code ALL}, add back {@link #DEFAULT_CAPABILITIES}. */
  public static final SecurityOptions DEFAULTS =
      new SecurityOptions(true, List.of("ALL"), DEFAULT_CAPABILITIES);

  public SecurityOptions {
    capDrop = checked(capDrop, "cap_drop");
    capAdd = checked(capAdd, "cap_add");
  }

  private static List<String> checked(List<String> capabilities, String field) {
    List<String> copy = Checks.list(capabilities, field);
    for (int i = 0; i < copy.size(); i++) {
      String capability = copy.get(i);
      if (!CAPABILITY.matcher(capability).matches() || capability.startsWith("CAP_")) {
        throw new IllegalArgumentException(
            field
                + "["
                + i
                + "]: '"
                + capability
                + "' is not a capability name (upper case without CAP_, e.g. NET_BIND_SERVICE)");
      }
    }
    return copy;
  }
}
