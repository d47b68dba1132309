package dev.syntra.runtime.k8s.internal;

import dev.syntra.protocol.runtime.DeploySpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How a pod reaches the agent on its node (the agent's OTLP receivers listen on the node's
 * address): every container gets {@code SYNTRA_NODE_IP} from the downward API ({@code
 * status.hostIP}) as its first variable, so later values may say {@code $(SYNTRA_NODE_IP)} and
 * Kubernetes expands it. Kubernetes expands only plain {@code value}s, never values read from a
 * Secret; so a value that is nothing but a URL on the node's address (the {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT} the control plane injects, {@code http://$(SYNTRA_NODE_IP):4318})
 * goes into the pod spec as a plain value. Such a value holds no credential by construction: its
 * pattern admits no user info and no query.
 */
final class NodeAddress {
  /** The variable the node's IP address is in. */
  static final String VARIABLE = "SYNTRA_NODE_IP";

  private static final Pattern NODE_URL =
      Pattern.compile("https?://\\$\\(" + VARIABLE + "\\)(:\\d{1,5})?(/[A-Za-z0-9._/-]*)?");

  private NodeAddress() {}

  /** The leading variables of every container: the node's IP, unless the spec sets it itself. */
  static List<EnvVar> env(DeploySpec spec) {
    List<EnvVar> env = new ArrayList<>();
    if (!spec.env().containsKey(VARIABLE)) {
      env.add(
          new EnvVarBuilder()
              .withName(VARIABLE)
              .withNewValueFrom()
              .withNewFieldRef()
              .withFieldPath("status.hostIP")
              .endFieldRef()
              .endValueFrom()
              .build());
    }
    return env;
  }

  /** Whether {@code value} is a URL on the node's address, to be expanded by Kubernetes. */
  static boolean expands(@Nullable String value) {
    return value != null && NODE_URL.matcher(value).matches();
  }
}
