package dev.syntra.agent.telemetrysettings;

import dev.syntra.agent.state.AtomicFiles;
import dev.syntra.agent.state.StateException;
import dev.syntra.protocol.message.TelemetrySettings;
import dev.syntra.protocol.runtime.ServiceRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The telemetry settings of each service ({@code telemetry-settings.json} in the state directory),
 * written durably before they are published to {@link TelemetrySettingsListener}s, and loaded at
 * start so a restarted agent samples and scrapes as configured before the control plane is reached.
 * Bounded by {@link #MAX_SERVICES}. Thread-safe.
 */
public final class TelemetrySettingsStore {
  private static final Logger log = LoggerFactory.getLogger(TelemetrySettingsStore.class);

  /** File name inside the state directory. */
  public static final String FILE_NAME = "telemetry-settings.json";

  /** Upper bound of services with settings; a single host never runs more. */
  public static final int MAX_SERVICES = 10_000;

  private final Path file;
  private final Map<ServiceRef, TelemetrySettings> settings = new LinkedHashMap<>();
  private final List<TelemetrySettingsListener> listeners = new CopyOnWriteArrayList<>();

  private TelemetrySettingsStore(Path file) {
    this.file = file;
  }

  /**
   * Loads the settings kept in {@code stateDir}; none when the file does not exist yet.
   *
   * @throws StateException when the file cannot be read or is corrupt (the message says to delete
   *     it: the control plane sends every service's settings again with its next deploy)
   */
  public static TelemetrySettingsStore open(Path stateDir) {
    TelemetrySettingsStore store = new TelemetrySettingsStore(stateDir.resolve(FILE_NAME));
    store.load();
    return store;
  }

  /**
   * Subscribes {@code listener}: it is told every stored service's settings at once (in the order
   * they were first stored), then every change.
   */
  public void subscribe(TelemetrySettingsListener listener) {
    Map<ServiceRef, TelemetrySettings> current;
    synchronized (this) {
      listeners.add(listener);
      current = Map.copyOf(settings);
    }
    current.forEach((service, value) -> notify(listener, service, value));
  }

  /**
   * Stores {@code value} as {@code service}'s settings (durable when this returns), then tells the
   * listeners. Storing the same settings again changes nothing and tells nobody.
   *
   * @throws IOException when the file cannot be written; the previous settings stay in force
   */
  public void put(ServiceRef service, TelemetrySettings value) throws IOException {
    synchronized (this) {
      TelemetrySettings previous = settings.get(service);
      if (value.equals(previous)) {
        return;
      }
      if (previous == null && settings.size() >= MAX_SERVICES) {
        throw new IOException("the agent already keeps settings of " + MAX_SERVICES + " services");
      }
      settings.put(service, value);
      try {
        AtomicFiles.write(file, SettingsFile.write(settings));
      } catch (IOException | RuntimeException e) {
        if (previous == null) {
          settings.remove(service);
        } else {
          settings.put(service, previous);
        }
        throw e;
      }
    }
    for (TelemetrySettingsListener listener : listeners) {
      notify(listener, service, value);
    }
  }

  /** The settings of {@code service}, if the control plane sent any. */
  public synchronized Optional<TelemetrySettings> get(ServiceRef service) {
    return Optional.ofNullable(settings.get(service));
  }

  /** The settings of {@code service}, or {@link TelemetrySettings#DEFAULTS}. */
  public TelemetrySettings effective(ServiceRef service) {
    return get(service).orElse(TelemetrySettings.DEFAULTS);
  }

  /** Every stored service's settings. */
  public synchronized Map<ServiceRef, TelemetrySettings> all() {
    return Map.copyOf(settings);
  }

  private static void notify(
      TelemetrySettingsListener listener, ServiceRef service, TelemetrySettings value) {
    try {
      listener.settingsChanged(service, value);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      log.warn("A telemetry settings listener failed for {}: {}", service, t.toString(), t);
    }
  }

  private void load() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new StateException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      settings.putAll(SettingsFile.read(bytes));
    } catch (IllegalArgumentException e) {
      throw new StateException(
          file
              + " is corrupt ("
              + e.getMessage()
              + "). Delete it: services then use the default telemetry settings until their next"
              + " deploy sends them again.",
          e);
    }
  }
}
