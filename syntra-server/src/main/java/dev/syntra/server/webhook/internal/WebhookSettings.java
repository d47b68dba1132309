package dev.syntra.server.webhook.internal;

import java.time.Duration;
import org.springframework.core.env.Environment;

/**
 * Webhook delivery configuration, from {@code SYNTRA_WEBHOOK_*} environment variables (or system
 * properties / Spring properties of the same names).
 *
 * @param deliveryEnabled {@code SYNTRA_WEBHOOK_DELIVERY}, default true: false keeps deliveries
 *     queued without sending them (tests that must not reach the network, maintenance)
 * @param allowPrivateNetworks {@code SYNTRA_WEBHOOK_ALLOW_PRIVATE_NETWORKS}, default false: allow
 *     loopback, private and link-local receivers (see {@link WebhookUrlPolicy})
 * @param pollInterval {@code SYNTRA_WEBHOOK_POLL_MS}, default 1000: how often due deliveries are
 *     looked for
 * @param retrySchedule {@code SYNTRA_WEBHOOK_RETRY_SCHEDULE}, default {@code
 *     5s,5m,30m,2h,5h,10h,10h} (Standard Webhooks)
 * @param batchSize {@code SYNTRA_WEBHOOK_BATCH_SIZE}, default 20: deliveries claimed per
 *     organization per poll
 * @param maxConcurrentOrgs {@code SYNTRA_WEBHOOK_CONCURRENCY}, default 32: organizations delivered
 *     to at the same time; the others wait for the next poll
 */
record WebhookSettings(
    boolean deliveryEnabled,
    boolean allowPrivateNetworks,
    Duration pollInterval,
    RetrySchedule retrySchedule,
    int batchSize,
    int maxConcurrentOrgs) {

  static WebhookSettings from(Environment env) {
    String allow = env.getProperty(WebhookUrlPolicy.ALLOW_PROPERTY, "false").strip();
    if (!allow.equalsIgnoreCase("true") && !allow.equalsIgnoreCase("false")) {
      throw new IllegalStateException(
          WebhookUrlPolicy.ALLOW_PROPERTY + " must be true or false, was: " + allow);
    }
    RetrySchedule schedule;
    String scheduleText = env.getProperty("SYNTRA_WEBHOOK_RETRY_SCHEDULE");
    try {
      schedule =
          scheduleText == null ? RetrySchedule.standard() : RetrySchedule.parse(scheduleText);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "SYNTRA_WEBHOOK_RETRY_SCHEDULE must be comma-separated positive durations such as"
              + " 5s,5m,30m,2h, was: "
              + scheduleText,
          e);
    }
    return new WebhookSettings(
        !env.getProperty("SYNTRA_WEBHOOK_DELIVERY", "true").strip().equalsIgnoreCase("false"),
        Boolean.parseBoolean(allow),
        Duration.ofMillis(number(env, "SYNTRA_WEBHOOK_POLL_MS", 1000, 10, 600_000)),
        schedule,
        (int) number(env, "SYNTRA_WEBHOOK_BATCH_SIZE", 20, 1, 1000),
        (int) number(env, "SYNTRA_WEBHOOK_CONCURRENCY", 32, 1, 1000));
  }

  private static long number(Environment env, String name, long fallback, long min, long max) {
    String text = env.getProperty(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.strip());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalStateException(
        name + " must be a whole number from " + min + " to " + max + ", was: " + text);
  }
}
