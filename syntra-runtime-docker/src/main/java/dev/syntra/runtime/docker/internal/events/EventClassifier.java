package dev.syntra.runtime.docker.internal.events;

import com.github.dockerjava.api.model.Event;
import dev.syntra.protocol.runtime.RuntimeEvent;
import dev.syntra.runtime.docker.internal.daemon.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides which daemon container events are {@link RuntimeEvent}s worth an alert.
 *
 * <ul>
 *   <li>{@code oom} → {@link RuntimeEvent.Kind#OOM_KILLED}. The kernel may kill several processes
 *       of one container in one incident (one {@code oom} event each): further {@code oom}s and the
 *       {@code die} that follow within {@link #OOM_DIE_WINDOW} are not reported again.
 *   <li>{@code die} → {@link RuntimeEvent.Kind#UNEXPECTED_EXIT} with {@code exit_code}, unless a
 *       stop was requested. The daemon reports every stop request as a {@code kill} event before
 *       the {@code die} ({@code docker stop}/{@code restart}/{@code rm -f} and the adapter's own
 *       stop all send the container's stop signal, then SIGKILL after the grace period). So the
 *       rule is: a {@code die} is expected when the container received a {@code kill} with a
 *       terminating signal (anything but HUP, USR1, USR2, WINCH, which services use for reload or
 *       diagnostics) or a {@code stop} within {@link #STOP_REQUEST_WINDOW} and has not started
 *       again since. The daemon cannot tell who asked, so a stop requested by an operator through
 *       the Docker CLI counts as requested too. A replica that exits on its own is unexpected even
 *       with status 0: services are long-running.
 *   <li>{@code health_status: unhealthy} → {@link RuntimeEvent.Kind#UNHEALTHY} (only containers
 *       with a Docker HEALTHCHECK emit it).
 * </ul>
 *
 * <p>The service comes from the {@code syntra.project}/{@code syntra.service} labels, which the
 * daemon copies into the event attributes. State is bounded to {@link #MAX_TRACKED} containers. Not
 * thread-safe: used by the one watcher thread.
 */
final class EventClassifier {
  /** How long a stop request makes a later {@code die} expected. */
  static final Duration STOP_REQUEST_WINDOW = Duration.ofMinutes(10);

  /** How long after an {@code oom} the {@code die} it causes is folded into it. */
  static final Duration OOM_DIE_WINDOW = Duration.ofSeconds(30);

  static final int MAX_TRACKED = 4096;

  private static final Set<String> NON_TERMINATING_SIGNALS =
      Set.of(
          "1",
          "10",
          "12",
          "28",
          "SIGHUP",
          "SIGUSR1",
          "SIGUSR2",
          "SIGWINCH",
          "HUP",
          "USR1",
          "USR2",
          "WINCH");

  private final Map<String, Instant> stopRequested = bounded();
  private final Map<String, Instant> oomKilled = bounded();

  /** The alert for {@code event}, if it is one. */
  Optional<RuntimeEvent> classify(Event event) {
    String action = action(event);
    String id = event.getActor() == null ? event.getId() : event.getActor().getId();
    if (action == null || id == null) {
      return Optional.empty();
    }
    Map<String, String> attributes = attributes(event);
    Instant at = time(event);
    return switch (action) {
      case "kill", "stop", "start", "destroy" -> {
        track(action, id, attributes, at);
        yield Optional.empty();
      }
      case "oom" -> oom(id, attributes, at);
      case "die" -> die(id, attributes, at);
      default ->
          action.startsWith("health_status") && action.endsWith("unhealthy")
              ? Optional.of(
                  event(
                      RuntimeEvent.Kind.UNHEALTHY,
                      id,
                      attributes,
                      at,
                      "the container's health check reports unhealthy",
                      Map.of()))
              : Optional.empty();
    };
  }

  /** Remembers stop requests (cleared by the next start) and forgets destroyed containers. */
  private void track(String action, String id, Map<String, String> attributes, Instant at) {
    switch (action) {
      case "kill" -> {
        if (!NON_TERMINATING_SIGNALS.contains(attributes.getOrDefault("signal", ""))) {
          stopRequested.put(id, at);
        }
      }
      case "stop" -> stopRequested.put(id, at);
      case "start" -> stopRequested.remove(id);
      default -> {
        stopRequested.remove(id);
        oomKilled.remove(id);
      }
    }
  }

  private Optional<RuntimeEvent> oom(String id, Map<String, String> attributes, Instant at) {
    Instant previous = oomKilled.get(id);
    if (previous != null && within(previous, at, OOM_DIE_WINDOW)) {
      return Optional.empty(); // the kernel killed several processes in one incident
    }
    oomKilled.put(id, at);
    return Optional.of(
        event(
            RuntimeEvent.Kind.OOM_KILLED,
            id,
            attributes,
            at,
            "killed: out of memory (the memory limit was exceeded)",
            Map.of()));
  }

  private Optional<RuntimeEvent> die(String id, Map<String, String> attributes, Instant at) {
    Instant requested = stopRequested.get(id);
    if (requested != null && within(requested, at, STOP_REQUEST_WINDOW)) {
      return Optional.empty();
    }
    // Keep the mark: the daemon may still report oom events of the same incident after the die.
    Instant oom = oomKilled.get(id);
    if (oom != null && within(oom, at, OOM_DIE_WINDOW)) {
      return Optional.empty();
    }
    String exitCode = attributes.getOrDefault("exitCode", "unknown");
    return Optional.of(
        event(
            RuntimeEvent.Kind.UNEXPECTED_EXIT,
            id,
            attributes,
            at,
            exitMessage(exitCode),
            Map.of("exit_code", exitCode)));
  }

  static String exitMessage(String exitCode) {
    try {
      int code = Integer.parseInt(exitCode);
      if (code > 128 && code <= 128 + 64) {
        int signal = code - 128;
        return "exited with status "
            + code
            + " (killed by signal "
            + signal
            + (signal == 9 ? ", SIGKILL" : signal == 15 ? ", SIGTERM" : "")
            + ")";
      }
      return "exited with status " + code + " although nobody asked it to stop";
    } catch (NumberFormatException e) {
      return "exited although nobody asked it to stop";
    }
  }

  private static RuntimeEvent event(
      RuntimeEvent.Kind kind,
      String id,
      Map<String, String> attributes,
      Instant at,
      String message,
      Map<String, String> extra) {
    Map<String, String> details = new LinkedHashMap<>(extra);
    details.put("container_id", id);
    putIfPresent(details, "image", attributes.get("image"));
    putIfPresent(details, "deployment_id", attributes.get(Labels.DEPLOYMENT));
    putIfPresent(details, "replica", attributes.get(Labels.REPLICA));
    String name = attributes.get("name");
    String replicaId =
        name == null || name.isBlank()
            ? id.substring(0, Math.min(12, id.length()))
            : Labels.stripSlash(name);
    return new RuntimeEvent(kind, Labels.service(attributes), replicaId, at, message, details);
  }

  private static void putIfPresent(Map<String, String> map, String key, @Nullable String value) {
    if (value != null && !value.isBlank()) {
      map.put(key, value);
    }
  }

  static @Nullable String action(Event event) {
    return event.getAction() != null ? event.getAction() : event.getStatus();
  }

  static Map<String, String> attributes(Event event) {
    Map<String, String> attributes =
        event.getActor() == null ? null : event.getActor().getAttributes();
    return attributes == null ? Map.of() : attributes;
  }

  /** The event time with nanoseconds when the daemon sent them. */
  static Instant time(Event event) {
    Long nanos = event.getTimeNano();
    if (nanos != null && nanos > 0) {
      return Instant.ofEpochSecond(0, nanos);
    }
    Long seconds = event.getTime();
    return Instant.ofEpochSecond(seconds == null ? 0 : seconds);
  }

  private static boolean within(Instant earlier, Instant later, Duration window) {
    return !later.isBefore(earlier.minusSeconds(1)) && !later.isAfter(earlier.plus(window));
  }

  private static <V> Map<String, V> bounded() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > MAX_TRACKED;
      }
    };
  }
}
