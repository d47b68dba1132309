/** The Syntra reference control plane: application entry point and settings. */
@NullMarked
package dev.syntra.server;

import org.jspecify.annotations.NullMarked;
