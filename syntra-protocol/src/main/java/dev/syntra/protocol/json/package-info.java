/** The JSON codec for control messages: envelope, payload mapping and precise decode errors. */
@NullMarked
package dev.syntra.protocol.json;

import org.jspecify.annotations.NullMarked;
