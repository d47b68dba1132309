package dev.syntra.server.auth;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.BodySizeLimitFilter;
import dev.syntra.server.api.PathGuardFilter;
import dev.syntra.server.db.Tenancy;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Registers token authentication, rate limiting and the {@link Caller} controller parameter. */
@Configuration(proxyBeanMethods = false)
class AuthConfiguration implements WebMvcConfigurer {

  @Bean
  RateLimiter rateLimiter(Environment env, Jdbi jdbi) {
    return new RateLimiter(
        Map.of(
            "free", env.getProperty("SYNTRA_RATE_LIMIT_FREE", Integer.class, 100),
            "pro", env.getProperty("SYNTRA_RATE_LIMIT_PRO", Integer.class, 1000),
            "team", env.getProperty("SYNTRA_RATE_LIMIT_TEAM", Integer.class, 5000),
            "enterprise", env.getProperty("SYNTRA_RATE_LIMIT_ENTERPRISE", Integer.class, 20000)),
        jdbi);
  }

  /**
   * Requests without a valid token, per client address and minute ({@code
   * SYNTRA_RATE_LIMIT_UNAUTHENTICATED}, default 120).
   */
  @Bean
  AddressRateLimiter addressRateLimiter(Environment env, Clock clock) {
    String value = env.getProperty("SYNTRA_RATE_LIMIT_UNAUTHENTICATED", "120").strip();
    if (!value.matches("\\d{1,9}") || Integer.parseInt(value) == 0) {
      throw new IllegalStateException(
          "SYNTRA_RATE_LIMIT_UNAUTHENTICATED: expected a positive number of requests per minute"
              + " such as 120, got '"
              + value
              + "'");
    }
    return new AddressRateLimiter(Integer.parseInt(value), clock);
  }

  @Bean
  FilterRegistrationBean<TokenAuthFilter> tokenAuthFilter(
      Tenancy tenancy,
      RateLimiter rateLimiter,
      AddressRateLimiter addressRateLimiter,
      Environment env,
      Clock clock) {
    String bootstrap = env.getProperty("SYNTRA_BOOTSTRAP_TOKEN", "").strip();
    var registration =
        new FilterRegistrationBean<>(
            new TokenAuthFilter(
                tenancy,
                rateLimiter,
                addressRateLimiter,
                bootstrap.isEmpty() ? null : bootstrap,
                clock));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
    return registration;
  }

  @Bean
  FilterRegistrationBean<MetricsAuthFilter> metricsAuthFilter(Environment env) {
    var registration =
        new FilterRegistrationBean<>(
            new MetricsAuthFilter(env.getProperty("SYNTRA_METRICS_TOKEN")));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
    return registration;
  }

  @Bean
  FilterRegistrationBean<PathGuardFilter> pathGuardFilter() {
    var registration = new FilterRegistrationBean<>(new PathGuardFilter());
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  /**
   * Request bodies are bounded before anything reads them (1 MiB, {@code SYNTRA_MAX_BODY_BYTES}).
   */
  @Bean
  FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(Environment env) {
    var registration =
        new FilterRegistrationBean<>(
            new BodySizeLimitFilter(
                env.getProperty("SYNTRA_MAX_BODY_BYTES", Long.class, 1L << 20)));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(new CallerResolver());
  }

  /** Hands the authenticated {@link Caller} to controller methods that declare one. */
  private static final class CallerResolver implements HandlerMethodArgumentResolver {
    @Override
    public boolean supportsParameter(MethodParameter parameter) {
      return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Caller resolveArgument(
        MethodParameter parameter,
        ModelAndViewContainer mavContainer,
        NativeWebRequest webRequest,
        WebDataBinderFactory binderFactory) {
      HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
      Object caller =
          request == null ? null : request.getAttribute(TokenAuthFilter.CALLER_ATTRIBUTE);
      if (caller == null) {
        throw ApiException.unauthorized("this endpoint needs an API token");
      }
      return (Caller) caller;
    }
  }
}
