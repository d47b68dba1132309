package dev.syntra.telemetry.archfixture.cycle.left;

import dev.syntra.telemetry.archfixture.cycle.right.Right;

/** With {@link Right}, violates the cycle rule. */
public record Left(Right right) {}
