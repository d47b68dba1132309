package dev.syntra.server.hub;

import dev.syntra.server.command.CommandLimits;
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

  /** Commands must fit the link's message limit. */
  @Bean
  CommandLimits commandLimits(HubSettings settings) {
    return new CommandLimits(settings.maxFrameBytes());
  }
}
