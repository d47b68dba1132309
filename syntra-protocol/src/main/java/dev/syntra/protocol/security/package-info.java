/** Agent tokens, their storage hashes and the replay window for signed-in messages. */
@NullMarked
package dev.syntra.protocol.security;

import org.jspecify.annotations.NullMarked;
