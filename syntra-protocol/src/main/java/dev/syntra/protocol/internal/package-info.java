/** Argument checks and encoding helpers shared by the records of this module; not API. */
@NullMarked
package dev.syntra.protocol.internal;

import org.jspecify.annotations.NullMarked;
