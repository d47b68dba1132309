/** Implementation details of the protocol codecs; not API. */
@NullMarked
package dev.syntra.protocol.internal;

import org.jspecify.annotations.NullMarked;
