/**
 * Start-up checks of the {@code SYNTRA_*} configuration: bad values stop the start before any port
 * opens, reported as one short message that names the variable and the expected form.
 */
@NullMarked
package dev.syntra.server.config;

import org.jspecify.annotations.NullMarked;
