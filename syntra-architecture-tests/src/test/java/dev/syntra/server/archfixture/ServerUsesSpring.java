package dev.syntra.server.archfixture;

import org.springframework.archfixture.FakeBean;

/** Satisfies the Spring rule: Spring belongs in the server. */
public record ServerUsesSpring(FakeBean bean) {}
