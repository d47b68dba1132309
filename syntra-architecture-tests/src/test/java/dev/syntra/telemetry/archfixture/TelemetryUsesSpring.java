package dev.syntra.telemetry.archfixture;

import org.springframework.archfixture.FakeBean;

/** Violates the Spring rule: Spring belongs in the server only. */
public record TelemetryUsesSpring(FakeBean bean) {}
