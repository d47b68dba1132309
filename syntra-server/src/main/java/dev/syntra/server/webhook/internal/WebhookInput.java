package dev.syntra.server.webhook.internal;

import dev.syntra.server.api.JsonBody;
import dev.syntra.server.event.Events;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Reads and checks the fields of webhook request bodies; problems go to the body's error list. */
final class WebhookInput {
  static final int MAX_URL_LENGTH = 2000;
  static final int MAX_DESCRIPTION_LENGTH = 500;
  private static final int MAX_EVENTS = 100;

  private WebhookInput() {}

  /** The {@code url} field, refused by {@code policy} if need be (resolves the host). */
  static @Nullable String url(JsonBody body, WebhookUrlPolicy policy, boolean required) {
    String url = body.string("url", required, MAX_URL_LENGTH);
    if (url == null) {
      return null;
    }
    String refusal = policy.refusal(url.strip());
    if (refusal != null) {
      body.reject("url", refusal);
      return null;
    }
    return url.strip();
  }

  /** The {@code events} field: event types or {@code *}, at least one, duplicates dropped. */
  static @Nullable List<String> events(JsonBody body, boolean required) {
    int[] unknown = {0};
    List<String> events =
        body.strings(
            "events",
            required,
            MAX_EVENTS,
            type -> {
              if (type.equals("*") || Events.TYPES.contains(type)) {
                return null;
              }
              unknown[0]++;
              return "is not an event type; use \"*\" or one of " + Events.TYPES;
            });
    if (events == null || unknown[0] > 0) {
      return null;
    }
    if (events.isEmpty()) {
      body.reject("events", "must list at least one event type, or \"*\" for all");
      return null;
    }
    return new ArrayList<>(new LinkedHashSet<>(events));
  }

  static @Nullable String description(JsonBody body) {
    return body.string("description", false, MAX_DESCRIPTION_LENGTH);
  }

  /** The host of an accepted URL: what the audit log records (paths may carry tokens). */
  static String host(String url) {
    String host = URI.create(url).getHost();
    return host == null ? "" : host;
  }
}
