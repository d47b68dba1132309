package dev.syntra.server.webhook.internal;

import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Webhook settings, the URL policy and the HTTP sender the dispatcher and endpoints share. */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {
  /** Standard Webhooks receivers must answer quickly; these bound one attempt. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  @Bean
  WebhookSettings webhookSettings(Environment environment) {
    return WebhookSettings.from(environment);
  }

  @Bean
  WebhookUrlPolicy webhookUrlPolicy(WebhookSettings settings) {
    return WebhookUrlPolicy.create(settings.allowPrivateNetworks());
  }

  @Bean(destroyMethod = "close")
  WebhookSender webhookSender() {
    return new WebhookSender(CONNECT_TIMEOUT, REQUEST_TIMEOUT);
  }
}
