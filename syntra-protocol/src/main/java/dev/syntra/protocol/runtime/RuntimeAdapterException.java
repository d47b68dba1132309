package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * The one exception type a {@link RuntimeAdapter} throws. Subclasses name the common cases; {@link
 * #code()} is always set so callers can map any failure to a {@code command_result} error without
 * {@code instanceof} chains. Messages are written for the user and never contain secrets.
 */
public class RuntimeAdapterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final RuntimeErrorCode code;

  public RuntimeAdapterException(RuntimeErrorCode code, String message) {
    this(code, message, null);
  }

  public RuntimeAdapterException(RuntimeErrorCode code, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.code = Checks.notNull(code, "code");
  }

  public RuntimeErrorCode code() {
    return code;
  }

  /** The deploy spec or an argument is invalid for this runtime. */
  public static final class InvalidSpec extends RuntimeAdapterException {
    private static final long serialVersionUID = 1L;

    public InvalidSpec(String message) {
      super(RuntimeErrorCode.INVALID_SPEC, message);
    }
  }

  /** The image reference names nothing in its registry. */
  public static final class ImageNotFound extends RuntimeAdapterException {
    private static final long serialVersionUID = 1L;

    public ImageNotFound(String image, @Nullable Throwable cause) {
      super(
          RuntimeErrorCode.IMAGE_NOT_FOUND,
          "image '" + image + "' was not found in its registry",
          cause);
    }
  }

  /** The image could not be pulled (auth, network, registry error). */
  public static final class ImagePullFailed extends RuntimeAdapterException {
    private static final long serialVersionUID = 1L;

    public ImagePullFailed(String image, String why, @Nullable Throwable cause) {
      super(
          RuntimeErrorCode.IMAGE_PULL_FAILED,
          "could not pull image '" + image + "': " + why,
          cause);
    }
  }

  /** The runtime has no such service. */
  public static final class ServiceNotFound extends RuntimeAdapterException {
    private static final long serialVersionUID = 1L;

    public ServiceNotFound(ServiceRef service) {
      super(
          RuntimeErrorCode.SERVICE_NOT_FOUND,
          "service " + service + " is not deployed on this runtime");
    }
  }

  /** No such deployment in the history. */
  public static final class DeploymentNotFound extends RuntimeAdapterException {
    private static final long serialVersionUID = 1L;

    public DeploymentNotFound(ServiceRef service, String deploymentId) {
      super(
          RuntimeErrorCode.DEPLOYMENT_NOT_FOUND,
          "deployment " + deploymentId + " of " + service + " is not in the local history");
    }
  }

  /** A host port, a name or a concurrent operation is in the way. */
  public static final class Conflict extends RuntimeAdapterException {
    private static final long serialVersionUID = 1L;

    public Conflict(String message, @Nullable Throwable cause) {
      super(RuntimeErrorCode.CONFLICT, message, cause);
    }
  }

  /** New replicas did not become healthy. */
  public static final class HealthCheckFailed extends RuntimeAdapterException {
    private static final long serialVersionUID = 1L;

    public HealthCheckFailed(String message) {
      super(RuntimeErrorCode.HEALTH_CHECK_FAILED, message);
    }
  }

  /** The runtime cannot be reached. */
  public static final class Unavailable extends RuntimeAdapterException {
    private static final long serialVersionUID = 1L;

    public Unavailable(String message, @Nullable Throwable cause) {
      super(RuntimeErrorCode.RUNTIME_UNAVAILABLE, message, cause);
    }
  }

  /** The runtime refused for lack of permission. */
  public static final class PermissionDenied extends RuntimeAdapterException {
    private static final long serialVersionUID = 1L;

    public PermissionDenied(String message, @Nullable Throwable cause) {
      super(RuntimeErrorCode.PERMISSION_DENIED, message, cause);
    }
  }

  /** The operation did not finish in time. */
  public static final class Timeout extends RuntimeAdapterException {
    private static final long serialVersionUID = 1L;

    public Timeout(String message) {
      super(RuntimeErrorCode.TIMEOUT, message);
    }
  }
}
