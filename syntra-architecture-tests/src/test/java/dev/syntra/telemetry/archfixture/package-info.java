/** Architecture rule fixtures that pose as syntra-telemetry classes. */
@NullMarked
package dev.syntra.telemetry.archfixture;

import org.jspecify.annotations.NullMarked;
