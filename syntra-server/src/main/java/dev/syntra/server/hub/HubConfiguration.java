package dev.syntra.server.hub;

import dev.syntra.server.fleet.HubEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Reads the hub's settings once at start. */
@Configuration(proxyBeanMethods = false)
class HubConfiguration {
  @Bean
  HubSettings hubSettings(Environment env) {
    return HubSettings.from(env);
  }

  /** How install commands tell agents to reach this hub. */
  @Bean
  HubEndpoint hubEndpoint(HubSettings settings, HubTls tls) {
    return new HubEndpoint(settings.tls(), settings.port(), tls.caSha256().orElse(null));
  }
}
