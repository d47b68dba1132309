package dev.syntra.agent.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syntra.agent.state.CommandJournal;
import dev.syntra.agent.state.ManagedServices;
import dev.syntra.agent.telemetrysettings.TelemetrySettingsStore;
import dev.syntra.agent.testing.InMemoryRuntime;
import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.ConfigureTelemetryCommand;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.TelemetrySettings;
import dev.syntra.protocol.message.TelemetrySettings.PrometheusScrape;
import dev.syntra.protocol.runtime.ServiceRef;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code configure_telemetry} through the real dispatcher, journal and settings store. */
class ConfigureTelemetryDispatchTest {
  private static final ServiceRef WEB = new ServiceRef("k3x9a2", "shop", "web");
  private static final TelemetrySettings SETTINGS =
      new TelemetrySettings(0.5, 300, 100, PrometheusScrape.onPort(9100));

  @TempDir Path dir;
  private final Clock clock = Clock.systemUTC();

  private CommandDispatcher dispatcher(
      @Nullable TelemetrySettingsStore store, Outbox outbox, InMemoryRuntime runtime) {
    return new CommandDispatcher(
        runtime,
        CommandJournal.open(dir, clock, 100, Duration.ofDays(1)),
        ManagedServices.open(dir),
        new LogStreams(runtime, clock, 4, 100, Duration.ofSeconds(1)),
        outbox,
        MessageCodec.create(),
        clock,
        2,
        100,
        store);
  }

  private static List<Envelope> opened(Outbox outbox) {
    List<Envelope> sent = new CopyOnWriteArrayList<>();
    outbox.open(sent::add);
    return sent;
  }

  @Test
  void storesDurablyPublishesAndAnswersOk() {
    TelemetrySettingsStore store = TelemetrySettingsStore.open(dir);
    List<TelemetrySettings> published = new CopyOnWriteArrayList<>();
    store.subscribe((service, settings) -> published.add(settings));
    Outbox outbox = new Outbox(100, clock);
    List<Envelope> sent = opened(outbox);
    InMemoryRuntime runtime = new InMemoryRuntime();
    try (CommandDispatcher dispatcher = dispatcher(store, outbox, runtime)) {
      Envelope command = Envelope.of(new ConfigureTelemetryCommand(WEB, SETTINGS), clock);
      dispatcher.dispatch(command);
      await().until(() -> sent.size() == 1);
      assertThat(sent.getFirst().replyTo()).isEqualTo(command.id());
      assertThat(sent.getFirst().payload()).isEqualTo(CommandResult.ok());
      // A redelivery is answered from the journal, not applied again.
      dispatcher.dispatch(command);
      await().until(() -> sent.size() == 2);
    }
    assertThat(published).containsExactly(SETTINGS);
    assertThat(TelemetrySettingsStore.open(dir).get(WEB)).contains(SETTINGS);
    assertThat(runtime.calls).isEmpty();
  }

  @Test
  void anAgentWithoutAStoreAnswersUnsupported() {
    Outbox outbox = new Outbox(100, clock);
    List<Envelope> sent = opened(outbox);
    try (CommandDispatcher dispatcher = dispatcher(null, outbox, new InMemoryRuntime())) {
      dispatcher.dispatch(Envelope.of(new ConfigureTelemetryCommand(WEB, SETTINGS), clock));
      await().until(() -> sent.size() == 1);
    }
    CommandResult result = (CommandResult) sent.getFirst().payload();
    assertThat(result.error()).isNotNull();
    assertThat(result.error().code()).isEqualTo("unsupported");
  }
}
