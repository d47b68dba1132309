/** JSON mapping of each message and runtime record; implementation of the codec, not API. */
@NullMarked
package dev.syntra.protocol.json.internal;

import org.jspecify.annotations.NullMarked;
