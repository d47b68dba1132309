package dev.syntra.server.service;

import dev.syntra.protocol.runtime.SecurityOptions;
import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.FieldError;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Changes to a service that reach beyond its container: publishing on a non-loopback address or a
 * low host port, adding Linux capabilities beyond the default set, allowing new privileges. Each
 * needs both the operator's allow-list ({@link ServicePolicy}, else 422 {@code
 * not_allowed_by_operator} naming the setting) and an organization admin (else 403 {@code
 * admin_required}). Only what a change newly gains is checked, so a developer may still edit other
 * fields of a service an admin configured.
 */
@Component
class PrivilegedChanges {
  /**
   * Capabilities a container runtime grants when nothing is dropped (Docker's and containerd's).
   */
  static final Set<String> RUNTIME_DEFAULT_CAPABILITIES =
      Set.of(
          "AUDIT_WRITE",
          "CHOWN",
          "DAC_OVERRIDE",
          "FOWNER",
          "FSETID",
          "KILL",
          "MKNOD",
          "NET_BIND_SERVICE",
          "NET_RAW",
          "SETFCAP",
          "SETGID",
          "SETPCAP",
          "SETUID",
          "SYS_CHROOT");

  private final ServicePolicy policy;

  PrivilegedChanges(ServicePolicy policy) {
    this.policy = policy;
  }

  /** Checks what {@code next} gains over {@code current} (null for a new service). */
  void check(Caller caller, @Nullable ServiceConfig current, ServiceConfig next) {
    List<FieldError> refused = new ArrayList<>();
    List<String> needAdmin = new ArrayList<>();
    checkPublish(current, next, refused, needAdmin);
    checkSecurity(current, next, refused, needAdmin);
    if (!refused.isEmpty()) {
      throw new ApiException(
          HttpStatus.UNPROCESSABLE_CONTENT,
          "not_allowed_by_operator",
          "the server operator does not allow this: " + refused.getFirst().message(),
          refused);
    }
    if (!needAdmin.isEmpty() && !caller.allows(Permission.ADMIN)) {
      throw new ApiException(
          HttpStatus.FORBIDDEN,
          "admin_required",
          String.join("; ", needAdmin)
              + " needs an organization admin (the admin role and a token with the admin scope)");
    }
  }

  private void checkPublish(
      @Nullable ServiceConfig current,
      ServiceConfig next,
      List<FieldError> refused,
      List<String> needAdmin) {
    String ip = next.publishHostIp();
    Integer port = next.publishHostPort();
    if (ip == null || port == null) {
      return;
    }
    boolean unchanged =
        current != null
            && ip.equals(current.publishHostIp())
            && port.equals(current.publishHostPort());
    if (unchanged) {
      return;
    }
    InetAddress address = ServicePolicy.literal(ip);
    if (!address.isLoopbackAddress()) {
      needAdmin.add("publishing on " + ip);
      if (!policy.hostIpAllowed(address)) {
        refused.add(
            new FieldError(
                "$.publish.host_ip",
                "publishing on "
                    + ip
                    + " needs the address in "
                    + ServicePolicy.HOST_IPS
                    + " (only loopback is allowed without it)"));
      }
    }
    if (port < policy.minPublishPort()) {
      needAdmin.add("publishing on host port " + port);
      if (!policy.portAllowed(port)) {
        refused.add(
            new FieldError(
                "$.publish.host_port",
                "host ports below "
                    + policy.minPublishPort()
                    + " ("
                    + ServicePolicy.MIN_PORT
                    + ") need the port in "
                    + ServicePolicy.PORTS));
      }
    }
  }

  private void checkSecurity(
      @Nullable ServiceConfig current,
      ServiceConfig next,
      List<FieldError> refused,
      List<String> needAdmin) {
    SecurityOptions before = current == null ? SecurityOptions.DEFAULTS : current.security();
    SecurityOptions after = next.security();
    if (!after.noNewPrivileges() && before.noNewPrivileges()) {
      needAdmin.add("turning no_new_privileges off");
      if (!policy.allowNewPrivileges()) {
        refused.add(
            new FieldError(
                "$.security.no_new_privileges",
                "turning it off needs " + ServicePolicy.NEW_PRIVILEGES + "=true"));
      }
    }
    Set<String> gained = new TreeSet<>(extraCapabilities(after));
    gained.removeAll(extraCapabilities(before));
    if (gained.isEmpty()) {
      return;
    }
    needAdmin.add("the capabilities " + gained);
    List<String> forbidden =
        gained.stream().filter(c -> !policy.allowedCapabilities().contains(c)).toList();
    if (!forbidden.isEmpty()) {
      refused.add(
          new FieldError(
              after.capDrop().contains("ALL") ? "$.security.cap_add" : "$.security.cap_drop",
              "the capabilities "
                  + forbidden
                  + " are beyond the default set "
                  + SecurityOptions.DEFAULT_CAPABILITIES
                  + " and not in "
                  + ServicePolicy.CAPABILITIES
                  + (after.capDrop().contains("ALL")
                      ? ""
                      : " (without dropping ALL a container keeps the runtime's default set)")));
    }
  }

  /**
   * Capabilities the container ends up with beyond {@link SecurityOptions#DEFAULT_CAPABILITIES}.
   */
  static Set<String> extraCapabilities(SecurityOptions security) {
    Set<String> effective = new TreeSet<>();
    if (!security.capDrop().contains("ALL")) {
      effective.addAll(RUNTIME_DEFAULT_CAPABILITIES);
      security.capDrop().forEach(effective::remove);
    }
    effective.addAll(security.capAdd());
    SecurityOptions.DEFAULT_CAPABILITIES.forEach(effective::remove);
    return effective;
  }
}
