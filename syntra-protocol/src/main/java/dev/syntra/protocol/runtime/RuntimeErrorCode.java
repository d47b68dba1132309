package dev.syntra.protocol.runtime;

import java.util.Locale;

/**
 * Machine-readable cause of a {@link RuntimeAdapterException}. The wire form (lower-case name) is
 * the {@code error.code} of a failed {@code command_result}.
 */
public enum RuntimeErrorCode {
  /** The deploy spec or an argument is invalid for this runtime. */
  INVALID_SPEC,
  /** The image (or tag, or digest) does not exist in the registry. */
  IMAGE_NOT_FOUND,
  /** The image exists but could not be pulled: auth, network or registry failure. */
  IMAGE_PULL_FAILED,
  /** The runtime has no such service. */
  SERVICE_NOT_FOUND,
  /** No such deployment in the local history, e.g. for a rollback. */
  DEPLOYMENT_NOT_FOUND,
  /** Something is in the way: a host port is taken, a name exists, an operation is running. */
  CONFLICT,
  /** New replicas never became healthy; the previous version keeps serving. */
  HEALTH_CHECK_FAILED,
  /** The runtime (Docker daemon, Kubernetes API) cannot be reached. */
  RUNTIME_UNAVAILABLE,
  /** The runtime refused the operation for lack of permission. */
  PERMISSION_DENIED,
  /** The operation did not finish in time. */
  TIMEOUT,
  /** The operation is not supported by this runtime. */
  UNSUPPORTED,
  /** Anything else; the message says what. */
  INTERNAL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
