/** Architecture rule fixtures that pose as nested syntra-telemetry internals. */
@NullMarked
package dev.syntra.telemetry.archfixture.internal;

import org.jspecify.annotations.NullMarked;
