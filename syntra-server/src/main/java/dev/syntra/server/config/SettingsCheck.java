package dev.syntra.server.config;

import dev.syntra.server.ServerSettings;
import dev.syntra.server.command.CommandPayloadPurge;
import dev.syntra.server.crypto.MasterKey;
import dev.syntra.server.deploy.OtelInjection;
import dev.syntra.server.hub.HubSettings;
import dev.syntra.server.org.BootstrapToken;
import dev.syntra.server.telemetry.IngestSettings;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Checks the settings whose mistakes are easy to make by hand, as soon as the environment is known:
 * before the application context, the database or any listening port exists. Each check throws an
 * exception whose message starts with the variable's name, which {@link
 * ConfigurationFailureAnalyzer} reports without a stack trace. Features still check their own
 * settings when their beans are built (also before any port opens).
 */
public final class SettingsCheck
    implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {
  @Override
  public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
    check(event.getEnvironment());
  }

  static void check(Environment env) {
    ServerSettings settings = ServerSettings.from(env);
    BootstrapToken.check(settings.bootstrapToken());
    if (settings.masterKey() != null) {
      MasterKey.check(settings.masterKey(), "SYNTRA_MASTER_KEY");
    }
    String previous = env.getProperty("SYNTRA_MASTER_KEY_PREVIOUS");
    if (previous != null && !previous.isBlank()) {
      MasterKey.check(previous, "SYNTRA_MASTER_KEY_PREVIOUS");
    }
    CommandPayloadPurge.retention(env);
    HubSettings.from(env);
    IngestSettings.from(env);
    OtelInjection.from(env);
  }
}
