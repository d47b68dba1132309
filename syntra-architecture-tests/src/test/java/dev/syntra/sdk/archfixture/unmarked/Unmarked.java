package dev.syntra.sdk.archfixture.unmarked;

/** Violates the null-marking rule through its package. */
public record Unmarked() {}
