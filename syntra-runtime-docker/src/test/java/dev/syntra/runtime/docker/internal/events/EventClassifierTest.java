package dev.syntra.runtime.docker.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventActor;
import com.github.dockerjava.api.model.EventType;
import dev.syntra.protocol.runtime.RuntimeEvent;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.runtime.docker.internal.daemon.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventClassifierTest {
  private static final String ID = "4f1c0ffee";
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private static final ServiceRef SERVICE = new ServiceRef("k3x9a2", "shop", "web");

  private final EventClassifier classifier = new EventClassifier();

  private static Event event(String action, Instant at, Map<String, String> extra) {
    Map<String, String> attributes = new HashMap<>(Labels.of(SERVICE, "dep-1", 0));
    attributes.put("name", "syn-shop-web-dep1-0");
    attributes.put("image", "127.0.0.1:5000/shop/web:1");
    attributes.putAll(extra);
    return new Event(action, ID, "image", at.getEpochSecond())
        .withType(EventType.CONTAINER)
        .withAction(action)
        .withTimenano(at.getEpochSecond() * 1_000_000_000L + at.getNano())
        .withEventActor(new EventActor().withId(ID).withAttributes(attributes));
  }

  private Optional<RuntimeEvent> classify(String action, Instant at, Map<String, String> extra) {
    return classifier.classify(event(action, at, extra));
  }

  @Test
  void reportsAnExitNobodyAskedForWithItsExitCodeAndService() {
    RuntimeEvent event = classify("die", T0, Map.of("exitCode", "3")).orElseThrow();

    assertThat(event.kind()).isEqualTo(RuntimeEvent.Kind.UNEXPECTED_EXIT);
    assertThat(event.service()).isEqualTo(SERVICE);
    assertThat(event.replicaId()).isEqualTo("syn-shop-web-dep1-0");
    assertThat(event.at()).isEqualTo(T0);
    assertThat(event.details())
        .containsEntry("exit_code", "3")
        .containsEntry("container_id", ID)
        .containsEntry("deployment_id", "dep-1");
    assertThat(event.message()).contains("status 3");
  }

  @Test
  void aDieAfterAStopRequestIsExpected() {
    assertThat(classify("kill", T0, Map.of("signal", "15"))).isEmpty();
    assertThat(classify("die", T0.plusSeconds(8), Map.of("exitCode", "143"))).isEmpty();
    assertThat(classify("stop", T0.plusSeconds(8), Map.of())).isEmpty();
  }

  @Test
  void aStopRequestExpiresAfterItsWindowAndWithTheNextStart() {
    classify("kill", T0, Map.of("signal", "15"));
    Instant late = T0.plus(EventClassifier.STOP_REQUEST_WINDOW).plusSeconds(1);
    assertThat(classify("die", late, Map.of("exitCode", "0"))).isPresent();

    classify("kill", T0, Map.of("signal", "SIGTERM"));
    classify("start", T0.plusSeconds(1), Map.of());
    assertThat(classify("die", T0.plusSeconds(2), Map.of("exitCode", "1"))).isPresent();
  }

  @Test
  void aReloadSignalIsNotAStopRequest() {
    classify("kill", T0, Map.of("signal", "1"));
    assertThat(classify("die", T0.plusSeconds(1), Map.of("exitCode", "2"))).isPresent();
  }

  @Test
  void anExitWithStatusZeroIsStillUnexpectedWhenNobodyAsked() {
    assertThat(classify("die", T0, Map.of("exitCode", "0")))
        .get()
        .extracting(RuntimeEvent::kind)
        .isEqualTo(RuntimeEvent.Kind.UNEXPECTED_EXIT);
  }

  @Test
  void foldsOomEventsTheDaemonReportsAfterTheDie() {
    assertThat(classify("oom", T0, Map.of())).isPresent();
    assertThat(classify("die", T0.plusMillis(50), Map.of("exitCode", "137"))).isEmpty();
    assertThat(classify("oom", T0.plusMillis(60), Map.of())).isEmpty();
  }

  @Test
  void reportsAnOomKillOnceAndFoldsTheFollowingDieIntoIt() {
    RuntimeEvent oom = classify("oom", T0, Map.of()).orElseThrow();
    assertThat(oom.kind()).isEqualTo(RuntimeEvent.Kind.OOM_KILLED);
    assertThat(oom.service()).isEqualTo(SERVICE);

    assertThat(classify("oom", T0.plusMillis(10), Map.of())).isEmpty();
    assertThat(classify("die", T0.plusMillis(30), Map.of("exitCode", "137"))).isEmpty();
    Instant later = T0.plus(EventClassifier.OOM_DIE_WINDOW).plus(Duration.ofMinutes(5));
    assertThat(classify("die", later, Map.of("exitCode", "137")))
        .get()
        .extracting(RuntimeEvent::message)
        .asString()
        .contains("signal 9");
    assertThat(classify("oom", later, Map.of())).isPresent();
  }

  @Test
  void reportsADockerHealthCheckTurningUnhealthy() {
    assertThat(classify("health_status: unhealthy", T0, Map.of()))
        .get()
        .extracting(RuntimeEvent::kind)
        .isEqualTo(RuntimeEvent.Kind.UNHEALTHY);
    assertThat(classify("health_status: healthy", T0, Map.of())).isEmpty();
  }

  @Test
  void ignoresLifecycleEventsThatAreNotAlerts() {
    assertThat(classify("create", T0, Map.of())).isEmpty();
    assertThat(classify("start", T0, Map.of())).isEmpty();
    assertThat(classify("destroy", T0, Map.of())).isEmpty();
  }

  @Test
  void reportsNoServiceWhenTheLabelsAreNotValidSlugs() {
    Event event = event("die", T0, Map.of("exitCode", "1", Labels.PROJECT, "Not A Slug"));
    assertThat(classifier.classify(event)).get().extracting(RuntimeEvent::service).isNull();
  }

  @Test
  void formatsTheDaemonSinceParameterWithNanoseconds() {
    assertThat(EventSubscription.sinceText(1_764_151_200_000_000_042L))
        .isEqualTo("1764151200.000000042");
  }

  @Test
  void jitterStaysWithinTwentyPercent() {
    for (int i = 0; i < 100; i++) {
      assertThat(EventSubscription.jitter(Duration.ofSeconds(10)).toMillis())
          .isBetween(8_000L, 12_000L);
    }
  }
}
