package dev.syntra.runtime.k8s.internal;

import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.URL;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Turns fabric8 failures into the protocol's typed errors: 401/403 → permission denied, 409 →
 * conflict, 400/422 → invalid spec, 404 of a namespace → a message naming it, 429/5xx and
 * connection failures → runtime unavailable.
 */
public final class KubernetesErrors {
  private final String apiUrl;

  public KubernetesErrors(@Nullable URL apiUrl) {
    this.apiUrl = apiUrl == null ? "(unknown)" : apiUrl.toString();
  }

  /** Runs {@code call}, mapping a {@link KubernetesClientException}; {@code what} says what. */
  public <T> T call(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      throw map(what, e);
    }
  }

  /**
   * {@link #run} for a read-modify-write ({@code edit}): on an optimistic-lock conflict (409, the
   * object changed between read and write, e.g. a controller updated its status) it reads and
   * applies the change again, up to 5 times, before reporting the conflict.
   */
  public void runRetryingConflicts(String what, Runnable edit) {
    for (int attempt = 1; ; attempt++) {
      try {
        edit.run();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw map(what, e);
        }
      }
    }
  }

  /** {@link #call} without a result. */
  public void run(String what, Runnable call) {
    call(
        what,
        () -> {
          call.run();
          return null;
        });
  }

  /** The typed error for {@code e}, raised while trying to {@code what}. */
  public RuntimeAdapterException map(String what, KubernetesClientException e) {
    int code = e.getCode();
    String detail = detail(e);
    return switch (code) {
      case 401 ->
          new RuntimeAdapterException.PermissionDenied(
              "Kubernetes API at "
                  + apiUrl
                  + " rejected the credentials while trying to "
                  + what
                  + ": "
                  + detail,
              e);
      case 403 ->
          new RuntimeAdapterException.PermissionDenied(
              "Kubernetes refused to "
                  + what
                  + " (forbidden): "
                  + detail
                  + "; grant the agent's account access to this namespace",
              e);
      case 409 ->
          new RuntimeAdapterException.Conflict(
              "Kubernetes reported a conflict while trying to " + what + ": " + detail, e);
      case 400, 422 -> invalid(what, detail);
      case 404 -> notFound(what, e, detail);
      case 429 ->
          new RuntimeAdapterException.Unavailable(
              "Kubernetes API at "
                  + apiUrl
                  + " is throttling requests (429) while trying to "
                  + what,
              e);
      default -> {
        if (code >= 500) {
          yield new RuntimeAdapterException.Unavailable(
              "Kubernetes API at "
                  + apiUrl
                  + " failed with "
                  + code
                  + " while trying to "
                  + what
                  + ": "
                  + detail,
              e);
        }
        if (code == 0 || hasIoCause(e)) {
          yield new RuntimeAdapterException.Unavailable(
              "cannot reach the Kubernetes API at "
                  + apiUrl
                  + " to "
                  + what
                  + ": "
                  + rootMessage(e),
              e);
        }
        yield new RuntimeAdapterException(
            RuntimeErrorCode.INTERNAL,
            "Kubernetes failed (" + code + ") while trying to " + what + ": " + detail,
            e);
      }
    };
  }

  private static RuntimeAdapterException invalid(String what, String detail) {
    return new RuntimeAdapterException.InvalidSpec(
        "Kubernetes rejected the request to " + what + " as invalid: " + detail);
  }

  private static RuntimeAdapterException notFound(
      String what, KubernetesClientException e, String detail) {
    Status status = e.getStatus();
    String kind =
        status == null || status.getDetails() == null ? null : status.getDetails().getKind();
    if ("namespaces".equals(kind) || detail.contains("namespaces \"")) {
      String name =
          status == null || status.getDetails() == null ? null : status.getDetails().getName();
      return new RuntimeAdapterException(
          RuntimeErrorCode.CONFLICT,
          "namespace "
              + (name == null ? "" : name + " ")
              + "does not exist (it was deleted while Syntra was using it); could not "
              + what,
          e);
    }
    return new RuntimeAdapterException(
        RuntimeErrorCode.INTERNAL, "Kubernetes could not " + what + ": not found: " + detail, e);
  }

  private static String detail(KubernetesClientException e) {
    Status status = e.getStatus();
    if (status == null) {
      return rootMessage(e);
    }
    StringBuilder out = new StringBuilder();
    out.append(status.getMessage() == null ? rootMessage(e) : status.getMessage());
    if (status.getDetails() != null && status.getDetails().getCauses() != null) {
      List<StatusCause> causes = status.getDetails().getCauses();
      if (!causes.isEmpty() && (status.getMessage() == null || status.getMessage().isBlank())) {
        out.append(
            causes.stream()
                .map(c -> c.getField() + ": " + c.getMessage())
                .collect(Collectors.joining("; ", " (", ")")));
      }
    }
    return out.toString();
  }

  private static boolean hasIoCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
