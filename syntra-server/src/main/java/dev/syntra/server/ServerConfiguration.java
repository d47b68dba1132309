package dev.syntra.server;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Beans every feature shares: settings and the clock. */
@Configuration(proxyBeanMethods = false)
class ServerConfiguration {
  @Bean
  ServerSettings serverSettings(Environment environment) {
    return ServerSettings.from(environment);
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
