package dev.syntra.server.telemetry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Reads the telemetry settings once at start (a bad value fails the start, naming it). */
@Configuration(proxyBeanMethods = false)
class TelemetryConfiguration {
  @Bean
  IngestSettings ingestSettings(Environment env) {
    return IngestSettings.from(env);
  }
}
