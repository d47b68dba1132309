/** The organization's servers: registration with one-time tokens, the install command, listing. */
@NullMarked
package dev.syntra.server.fleet;

import org.jspecify.annotations.NullMarked;
