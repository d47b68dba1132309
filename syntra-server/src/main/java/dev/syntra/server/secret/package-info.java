/** Env vars: storage sealed through {@code crypto}, references, dotenv, and key rotation. */
@NullMarked
package dev.syntra.server.secret;

import org.jspecify.annotations.NullMarked;
