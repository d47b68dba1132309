package dev.syntra.server.webhook.internal;

import dev.syntra.server.crypto.SecretBox;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.webhook.WebhookSecrets;
import dev.syntra.server.webhook.WebhookSignature;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Sends the webhook outbox. A named platform thread polls every {@code SYNTRA_WEBHOOK_POLL_MS} for
 * organizations with due deliveries (through the narrow SECURITY DEFINER lookup, since no single
 * tenant context sees them all); each such organization is then worked on its own virtual thread,
 * in its own tenant context, at most {@code SYNTRA_WEBHOOK_CONCURRENCY} at a time and one batch (at
 * most {@link #BATCH_BUDGET} long) per poll. Within an organization deliveries go one after the
 * other, so a slow receiver delays only its own organization, and only by its timeouts. No database
 * transaction stays open while a request is in flight.
 *
 * <p>Each attempt is signed (see {@link WebhookSignature}), re-checked against {@link
 * WebhookUrlPolicy} (DNS may have changed), recorded, and counted in {@code
 * syntra.webhooks.deliveries{outcome=succeeded|retried|failed}}. A failure is retried as {@link
 * Verdict} decides: after the {@link RetrySchedule} delay, or the receiver's {@code Retry-After}.
 *
 * <p>Starts when the application is ready; {@link #close()} stops within about {@link
 * #STOP_TIMEOUT}, giving claimed but unsent deliveries back. {@link #start()} and {@link #stop()}
 * may be called again. Thread-safe.
 */
@Component
public final class WebhookDispatcher implements AutoCloseable {
  /** How long a claim keeps other instances off a delivery: well above DNS + connect + response. */
  static final Duration LEASE = Duration.ofMinutes(2);

  /**
   * How long one organization's batch may take before the rest of it is given back for the next
   * poll: with the concurrency bound, this is what keeps hanging receivers of a few organizations
   * from holding up the others.
   */
  static final Duration BATCH_BUDGET = Duration.ofSeconds(20);

  static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

  /** One start-to-stop period: its own threads, so a restart never races a late old thread. */
  private static final class Run {
    final ExecutorService workers =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("syntra-webhook-", 0).factory());
    volatile boolean stopped;
    @Nullable Thread poller;
  }

  private final Tenancy tenancy;
  private final DeliveryQueue queue;
  private final WebhookSender sender;
  private final WebhookUrlPolicy policy;
  private final SecretBox secretBox;
  private final WebhookSettings settings;
  private final Clock clock;
  private final Map<String, Counter> counters;
  private final Set<UUID> busy = ConcurrentHashMap.newKeySet();
  private final Semaphore slots;
  private final AtomicLong lastLoggedNanos =
      new AtomicLong(System.nanoTime() - LOG_INTERVAL.toNanos());
  private @Nullable Run current;

  WebhookDispatcher(
      Tenancy tenancy,
      DeliveryQueue queue,
      WebhookSender sender,
      WebhookUrlPolicy policy,
      SecretBox secretBox,
      WebhookSettings settings,
      Clock clock,
      MeterRegistry meters) {
    this.tenancy = tenancy;
    this.queue = queue;
    this.sender = sender;
    this.policy = policy;
    this.secretBox = secretBox;
    this.settings = settings;
    this.clock = clock;
    this.slots = new Semaphore(settings.maxConcurrentOrgs());
    this.counters =
        Map.of(
            "succeeded", counter(meters, "succeeded", "Webhook deliveries that got a 2xx answer"),
            "retried", counter(meters, "retried", "Failed webhook attempts that will be retried"),
            "failed", counter(meters, "failed", "Webhook deliveries given up after the last try"));
  }

  private static Counter counter(MeterRegistry meters, String outcome, String description) {
    return Counter.builder("syntra.webhooks.deliveries")
        .tag("outcome", outcome)
        .description(description)
        .register(meters);
  }

  @EventListener(ApplicationReadyEvent.class)
  void onApplicationReady() {
    if (settings.deliveryEnabled()) {
      start();
    } else {
      log.warn("Webhook delivery is off (SYNTRA_WEBHOOK_DELIVERY=false): deliveries stay queued");
    }
  }

  /** Starts polling; does nothing if already running. */
  public synchronized void start() {
    if (current != null) {
      return;
    }
    Run run = new Run();
    run.poller =
        Thread.ofPlatform().name("syntra-webhook-poller").daemon(true).unstarted(() -> poll(run));
    current = run;
    run.poller.start();
    log.info("Webhook dispatcher started ({})", settingsSummary());
  }

  /** Stops polling and sending, waiting at most about twice {@link #STOP_TIMEOUT}. Idempotent. */
  public void stop() {
    Run run;
    synchronized (this) {
      run = current;
      current = null;
    }
    if (run == null) {
      return;
    }
    run.stopped = true;
    Thread poller = run.poller;
    if (poller != null) {
      poller.interrupt();
      join(poller);
    }
    // Interrupts sends in flight; they give their claims back instead of recording an attempt.
    run.workers.shutdownNow();
    try {
      if (!run.workers.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "Webhook workers did not stop within {}; their claims expire after {}",
            STOP_TIMEOUT,
            LEASE);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("Webhook dispatcher stopped");
  }

  public synchronized boolean isRunning() {
    return current != null;
  }

  @Override
  public void close() {
    stop();
  }

  private void poll(Run run) {
    while (!run.stopped) {
      try {
        dispatchDueOrganizations(run);
      } catch (Throwable t) {
        handle(run, "Looking for due webhook deliveries", t);
      }
      try {
        Thread.sleep(settings.pollInterval());
      } catch (InterruptedException e) {
        return; // stop() interrupts; nothing else does
      }
    }
  }

  private void dispatchDueOrganizations(Run run) {
    Instant now = clock.instant();
    List<UUID> orgs =
        new ArrayList<>(
            tenancy.withoutOrg(
                null,
                h ->
                    h.createQuery("SELECT org_id FROM syntra_orgs_with_due_webhooks(:now)")
                        .bind("now", now)
                        .mapTo(UUID.class)
                        .list()));
    // Beyond the concurrency bound the rest wait; shuffling keeps any one from always waiting.
    Collections.shuffle(orgs);
    for (UUID org : orgs) {
      if (run.stopped || !slots.tryAcquire()) {
        return;
      }
      if (!busy.add(org)) {
        slots.release(); // still working on the previous batch
        continue;
      }
      try {
        run.workers.execute(() -> deliverBatch(run, org));
      } catch (RejectedExecutionException e) {
        busy.remove(org);
        slots.release();
        return;
      }
    }
  }

  private void deliverBatch(Run run, UUID org) {
    try {
      Instant now = clock.instant();
      List<DeliveryQueue.Claim> claims =
          tenancy.inOrg(org, null, h -> queue.claim(h, org, now, settings.batchSize(), lease(now)));
      long deadline = System.nanoTime() + BATCH_BUDGET.toNanos();
      for (DeliveryQueue.Claim claim : claims) {
        if (run.stopped || System.nanoTime() - deadline > 0) {
          release(org, claim.id(), claim.lease());
        } else {
          attempt(org, claim);
        }
      }
    } catch (Throwable t) {
      handle(run, "Delivering webhooks of organization " + org, t);
    } finally {
      busy.remove(org);
      slots.release();
    }
  }

  private void attempt(UUID org, DeliveryQueue.Claim claim) {
    Instant lease = lease(clock.instant());
    boolean ours =
        tenancy.inOrg(org, null, h -> queue.renew(h, org, claim.id(), claim.lease(), lease));
    if (!ours) {
      return; // deleted, retried by hand, or taken over after an expired lease
    }
    Instant at = clock.instant();
    WebhookSender.Result result;
    try {
      result = send(org, claim, at);
    } catch (InterruptedException e) {
      release(org, claim.id(), lease);
      Thread.currentThread().interrupt();
      return;
    }
    Verdict verdict =
        Verdict.after(
            settings.retrySchedule(),
            claim.attempts() + 1,
            at,
            result.succeeded(),
            result.retryAfter(),
            ThreadLocalRandom.current());
    DeliveryQueue.Attempt record =
        new DeliveryQueue.Attempt(at, result.status(), result.body(), result.error());
    tenancy.inOrg(
        org,
        null,
        h -> {
          queue.record(
              h, org, claim.id(), lease, verdict.status(), verdict.nextAttemptAt(), record);
          return null;
        });
    counters.get(verdict.outcome()).increment();
  }

  private WebhookSender.Result send(UUID org, DeliveryQueue.Claim claim, Instant at)
      throws InterruptedException {
    // Resolved once: the delivery connects to exactly the addresses checked here.
    WebhookUrlPolicy.Checked checked = policy.check(claim.url());
    WebhookUrlPolicy.Target target = checked.target();
    if (target == null) {
      return WebhookSender.Result.failure("not sent: the URL " + checked.refusal());
    }
    String secret;
    try {
      secret =
          secretBox.open(
              org,
              claim.keyVersion(),
              claim.sealedSecret(),
              WebhookSecrets.associatedData(claim.webhookId()));
    } catch (IllegalStateException e) {
      return WebhookSender.Result.failure("not sent: " + e.getMessage());
    }
    return sender.send(target, claim.eventId().toString(), at, claim.payload(), secret);
  }

  /** Gives a claim back, due now; runs even on an interrupted (stopping) thread. */
  private void release(UUID org, UUID delivery, Instant lease) {
    boolean interrupted = Thread.interrupted();
    try {
      tenancy.inOrg(
          org,
          null,
          h -> {
            queue.release(h, org, delivery, lease, clock.instant());
            return null;
          });
    } catch (RuntimeException e) {
      log.debug(
          "Could not release webhook delivery {}; it is due again after its lease", delivery, e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Lease deadlines are claim tokens compared for equality: PostgreSQL keeps microseconds. */
  private static Instant lease(Instant now) {
    return now.plus(LEASE).truncatedTo(ChronoUnit.MICROS);
  }

  private void handle(Run run, String what, Throwable t) {
    if (t instanceof VirtualMachineError error) {
      throw error;
    }
    if (run.stopped) {
      return; // interrupted database calls while stopping are expected
    }
    long now = System.nanoTime();
    long last = lastLoggedNanos.get();
    if (now - last >= LOG_INTERVAL.toNanos() && lastLoggedNanos.compareAndSet(last, now)) {
      log.warn("{} failed (further failures within {} are not logged)", what, LOG_INTERVAL, t);
    }
  }

  private static void join(Thread thread) {
    try {
      if (!thread.join(STOP_TIMEOUT)) {
        log.warn("The webhook poller did not stop within {}", STOP_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String settingsSummary() {
    return "poll every "
        + settings.pollInterval().toMillis()
        + " ms, "
        + settings.retrySchedule().maxAttempts()
        + " attempts, private networks "
        + (settings.allowPrivateNetworks() ? "allowed" : "refused");
  }

  @Override
  public String toString() {
    return "WebhookDispatcher[" + settingsSummary() + "]";
  }
}
