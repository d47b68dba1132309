package dev.syntra.telemetry.archfixture.cycle.right;

import dev.syntra.telemetry.archfixture.cycle.left.Left;

/** With {@link Left}, violates the cycle rule. */
public record Right(Left left) {}
