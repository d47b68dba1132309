/** The append-only audit log of every mutation: recording, querying and JSON-lines export. */
@NullMarked
package dev.syntra.server.audit;

import org.jspecify.annotations.NullMarked;
