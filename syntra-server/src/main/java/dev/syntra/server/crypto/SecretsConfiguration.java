package dev.syntra.server.crypto;

import dev.syntra.server.ServerSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The master key and the box that seals secrets with it. */
@Configuration(proxyBeanMethods = false)
class SecretsConfiguration {
  @Bean
  SecretBox secretBox(ServerSettings settings) {
    return new SecretBox(MasterKey.load(settings));
  }
}
