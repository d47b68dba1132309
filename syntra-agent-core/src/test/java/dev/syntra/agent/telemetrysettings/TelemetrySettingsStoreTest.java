package dev.syntra.agent.telemetrysettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.agent.state.StateException;
import dev.syntra.protocol.message.TelemetrySettings;
import dev.syntra.protocol.message.TelemetrySettings.PrometheusScrape;
import dev.syntra.protocol.runtime.ServiceRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetrySettingsStoreTest {
  private static final ServiceRef WEB = new ServiceRef("k3x9a2", "shop", "web");
  private static final ServiceRef API = new ServiceRef("k3x9a2", "shop", "api");
  private static final TelemetrySettings SCRAPED =
      new TelemetrySettings(
          0.1,
          500,
          200,
          new PrometheusScrape(9464, "/prom?x=1", Duration.ofSeconds(5), Duration.ofSeconds(2)));

  @TempDir Path dir;

  private record Change(ServiceRef service, TelemetrySettings settings) {}

  @Test
  void keepsSettingsAcrossRestartsAndAnnouncesThemOnSubscription() throws IOException {
    TelemetrySettingsStore store = TelemetrySettingsStore.open(dir);
    store.put(WEB, SCRAPED);
    store.put(API, TelemetrySettings.DEFAULTS);

    TelemetrySettingsStore reopened = TelemetrySettingsStore.open(dir);
    List<Change> seen = new ArrayList<>();
    reopened.subscribe((s, v) -> seen.add(new Change(s, v)));
    assertThat(seen)
        .containsExactlyInAnyOrder(
            new Change(WEB, SCRAPED), new Change(API, TelemetrySettings.DEFAULTS));
    assertThat(reopened.all()).isEqualTo(Map.of(WEB, SCRAPED, API, TelemetrySettings.DEFAULTS));
    assertThat(Files.getPosixFilePermissions(dir.resolve(TelemetrySettingsStore.FILE_NAME)))
        .hasSize(2);
  }

  @Test
  void publishesChangesOnceAndOnlyWhenTheyDiffer() throws IOException {
    TelemetrySettingsStore store = TelemetrySettingsStore.open(dir);
    List<Change> seen = new ArrayList<>();
    store.subscribe((s, v) -> seen.add(new Change(s, v)));
    store.put(WEB, SCRAPED);
    store.put(WEB, SCRAPED);
    TelemetrySettings noScrape = new TelemetrySettings(0.1, 500, 200, null);
    store.put(WEB, noScrape);
    assertThat(seen).containsExactly(new Change(WEB, SCRAPED), new Change(WEB, noScrape));
    assertThat(store.effective(WEB)).isEqualTo(noScrape);
    assertThat(store.effective(API)).isEqualTo(TelemetrySettings.DEFAULTS);
  }

  @Test
  void aThrowingListenerNeitherLosesTheSettingsNorStopsOtherListeners() throws IOException {
    TelemetrySettingsStore store = TelemetrySettingsStore.open(dir);
    List<Change> seen = new ArrayList<>();
    store.subscribe((s, v) -> {
      throw new IllegalStateException("listener bug");
    });
    store.subscribe((s, v) -> seen.add(new Change(s, v)));
    store.put(WEB, SCRAPED);
    assertThat(seen).containsExactly(new Change(WEB, SCRAPED));
    assertThat(TelemetrySettingsStore.open(dir).get(WEB)).contains(SCRAPED);
  }

  @Test
  void aFailedWriteKeepsThePreviousSettings() throws IOException {
    TelemetrySettingsStore store = TelemetrySettingsStore.open(dir);
    store.put(WEB, TelemetrySettings.DEFAULTS);
    Path file = dir.resolve(TelemetrySettingsStore.FILE_NAME);
    // A non-empty directory in the file's place makes the atomic move fail (even for root).
    Files.delete(file);
    Files.createDirectories(file.resolve("blocker"));
    assertThatThrownBy(() -> store.put(WEB, SCRAPED)).isInstanceOf(IOException.class);
    assertThat(store.effective(WEB)).isEqualTo(TelemetrySettings.DEFAULTS);
    assertThatThrownBy(() -> store.put(API, SCRAPED)).isInstanceOf(IOException.class);
    assertThat(store.get(API)).isEmpty();
  }

  @Test
  void aCorruptFileFailsTheStartSayingWhatToDo() throws IOException {
    Files.writeString(
        dir.resolve(TelemetrySettingsStore.FILE_NAME),
        "{\"services\":[{\"service\":{\"organization\":\"k3x9a2\",\"project\":\"shop\","
            + "\"service\":\"web\"},\"settings\":{\"trace_sample_ratio\":7,"
            + "\"max_spans_per_second\":1,\"max_log_lines_per_second\":1}}]}");
    assertThatThrownBy(() -> TelemetrySettingsStore.open(dir))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("trace_sample_ratio")
        .hasMessageContaining("Delete it");
    Files.writeString(dir.resolve(TelemetrySettingsStore.FILE_NAME), "{\"services\":[{");
    assertThatThrownBy(() -> TelemetrySettingsStore.open(dir))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("corrupt");
  }
}
