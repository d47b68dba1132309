/** One half of a package cycle, for the cycle rule. */
@NullMarked
package dev.syntra.telemetry.archfixture.cycle.left;

import org.jspecify.annotations.NullMarked;
