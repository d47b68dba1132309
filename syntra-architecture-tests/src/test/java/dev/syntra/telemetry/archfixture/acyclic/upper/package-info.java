/** A package that uses its sibling, for the cycle rule. */
@NullMarked
package dev.syntra.telemetry.archfixture.acyclic.upper;

import org.jspecify.annotations.NullMarked;
