/** The other half of a package cycle, for the cycle rule. */
@NullMarked
package dev.syntra.telemetry.archfixture.cycle.right;

import org.jspecify.annotations.NullMarked;
