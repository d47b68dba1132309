package dev.syntra.sdk.archfixture;

/** Satisfies the sdk rule. */
public record SdkUsesOnlyTheJdk(String name) {}
