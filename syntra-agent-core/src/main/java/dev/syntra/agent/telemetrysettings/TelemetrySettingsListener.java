package dev.syntra.agent.telemetrysettings;

import dev.syntra.protocol.message.TelemetrySettings;
import dev.syntra.protocol.runtime.ServiceRef;

/**
 * Receives the telemetry settings of services: on subscription once per stored service (what the
 * agent kept from before its restart), then on every change. A service never announced uses {@link
 * TelemetrySettings#DEFAULTS}.
 *
 * <p>Called on the command thread that stored the settings (or the subscribing thread for the
 * initial announcements); implementations return quickly and must not throw (a throwing listener is
 * logged and skipped, the settings stay stored).
 */
@FunctionalInterface
public interface TelemetrySettingsListener {

  /**
   * {@code service}'s settings are now {@code settings}; they replace the previous ones as a whole
   * ({@link TelemetrySettings#prometheus()} null: stop scraping it).
   */
  void settingsChanged(ServiceRef service, TelemetrySettings settings);
}
