package dev.syntra.server.service;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The operator's policy for services, read (and checked) at start. */
@Configuration(proxyBeanMethods = false)
class ServiceConfiguration {
  @Bean
  ServicePolicy servicePolicy(Environment environment) {
    return ServicePolicy.from(environment);
  }
}
