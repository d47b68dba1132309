/** Control messages exchanged over the agent link, as a sealed hierarchy of records. */
@NullMarked
package dev.syntra.protocol.message;

import org.jspecify.annotations.NullMarked;
