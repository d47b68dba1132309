/**
 * The runtime contract: {@link dev.syntra.protocol.runtime.RuntimeAdapter}, the deploy spec and the
 * records it returns.
 */
@NullMarked
package dev.syntra.protocol.runtime;

import org.jspecify.annotations.NullMarked;
