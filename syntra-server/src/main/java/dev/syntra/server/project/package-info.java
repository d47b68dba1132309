/** Projects and their per-project role overrides. */
@NullMarked
package dev.syntra.server.project;

import org.jspecify.annotations.NullMarked;
