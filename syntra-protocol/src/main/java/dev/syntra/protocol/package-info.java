/** The agent to control-plane protocol: the shared error type and protocol version. */
@NullMarked
package dev.syntra.protocol;

import org.jspecify.annotations.NullMarked;
