/** Architecture rule fixtures that pose as syntra-telemetry internals. */
@NullMarked
package dev.syntra.telemetry.internal.archfixture;

import org.jspecify.annotations.NullMarked;
