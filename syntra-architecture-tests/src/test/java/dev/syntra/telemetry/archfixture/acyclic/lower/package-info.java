/** A package used by its sibling, for the cycle rule. */
@NullMarked
package dev.syntra.telemetry.archfixture.acyclic.lower;

import org.jspecify.annotations.NullMarked;
