package org.springframework.archfixture;

/** Stands in for a Spring class: the Spring rule looks only at the package name. */
public record FakeBean() {}
