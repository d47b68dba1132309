package dev.syntra.runtime.docker.internal.daemon;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.UnauthorizedException;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Maps docker-java and transport failures to the protocol's typed {@link RuntimeAdapterException}s
 * with messages written for the user. Docker's own error text is kept (it never holds secrets: env
 * values and registry passwords are not echoed by the daemon).
 */
public final class DockerErrors {
  private static final Pattern JSON_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"(.*)\"\\s*}");

  private DockerErrors() {}

  /**
   * Maps a failure of a daemon call.
   *
   * @param action what was attempted, e.g. "start container syn-shop-web-1a2b3c4d-0"
   * @param daemon the daemon address, for "cannot be reached" messages
   */
  public static RuntimeAdapterException map(Throwable failure, String action, String daemon) {
    if (failure instanceof RuntimeAdapterException typed) {
      return typed;
    }
    if (isUnreachable(failure)) {
      return new RuntimeAdapterException.Unavailable(
          "the Docker daemon at "
              + daemon
              + " cannot be reached ("
              + rootMessage(failure)
              + ") while trying to "
              + action
              + "; check that dockerd runs and DOCKER_HOST points at it",
          failure);
    }
    String message = daemonMessage(failure);
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("port is already allocated") || lower.contains("address already in use")) {
      return new RuntimeAdapterException.Conflict(
          "cannot " + action + ": a host port is already in use (" + message + ")", failure);
    }
    if (failure instanceof ConflictException) {
      return new RuntimeAdapterException.Conflict("cannot " + action + ": " + message, failure);
    }
    if (failure instanceof UnauthorizedException || status(failure) == 403) {
      return new RuntimeAdapterException.PermissionDenied(
          "the Docker daemon refused to " + action + ": " + message, failure);
    }
    if (failure instanceof BadRequestException) {
      return new RuntimeAdapterException.InvalidSpec(
          "the Docker daemon rejected the request to " + action + ": " + message);
    }
    if (failure instanceof NotFoundException) {
      return new RuntimeAdapterException(
          RuntimeErrorCode.INTERNAL, "cannot " + action + ": " + message, failure);
    }
    if (failure instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new RuntimeAdapterException(
          RuntimeErrorCode.INTERNAL, "interrupted while trying to " + action, failure);
    }
    return new RuntimeAdapterException(
        RuntimeErrorCode.INTERNAL, "cannot " + action + ": " + message, failure);
  }

  /**
   * Maps a failure of an image pull: unknown manifests become {@link
   * RuntimeAdapterException.ImageNotFound}, authentication and registry failures {@link
   * RuntimeAdapterException.ImagePullFailed}, a bad reference {@link
   * RuntimeAdapterException.InvalidSpec}.
   */
  public static RuntimeAdapterException mapPull(Throwable failure, String image, String daemon) {
    if (failure instanceof RuntimeAdapterException typed) {
      return typed;
    }
    if (isUnreachable(failure)) {
      return map(failure, "pull image '" + image + "'", daemon);
    }
    String message = daemonMessage(failure);
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("no basic auth credentials")
        || lower.contains("authentication required")
        || lower.contains("unauthorized")
        || lower.contains("denied")
        || failure instanceof UnauthorizedException) {
      boolean anonymous = lower.contains("no basic auth credentials");
      return new RuntimeAdapterException.ImagePullFailed(
          image,
          anonymous
              ? "the registry requires credentials and none were given (" + message + ")"
              : "the registry refused the credentials (" + message + ")",
          failure);
    }
    if (failure instanceof NotFoundException
        || lower.contains("manifest unknown")
        || lower.contains("not found")) {
      return new RuntimeAdapterException.ImageNotFound(image, failure);
    }
    if (failure instanceof BadRequestException
        || lower.contains("invalid reference format")
        || lower.contains("invalid tag format")) {
      return new RuntimeAdapterException.InvalidSpec(
          "image: '" + image + "' is not a valid image reference for Docker: " + message);
    }
    return new RuntimeAdapterException.ImagePullFailed(image, message, failure);
  }

  /** Whether the failure means "no such object" (404) on the daemon. */
  public static boolean isNotFound(Throwable failure) {
    return failure instanceof NotFoundException;
  }

  /** Whether the daemon could not be reached at all (socket missing, connection refused, ...). */
  public static boolean isUnreachable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof DockerException) {
        return false;
      }
      if (t instanceof IOException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** The daemon's own message: the {@code message} field of its JSON error body when present. */
  public static String daemonMessage(Throwable failure) {
    String raw = failure.getMessage();
    if (raw == null || raw.isBlank()) {
      return failure.getClass().getSimpleName();
    }
    Matcher m = JSON_MESSAGE.matcher(raw);
    String text = m.find() ? m.group(1).replace("\\\"", "\"") : raw;
    return text.strip();
  }

  private static int status(Throwable failure) {
    return failure instanceof DockerException d ? d.getHttpStatus() : 0;
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    @Nullable String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }
}
