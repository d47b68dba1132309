/** Server layering fixtures: a package posing as the server's {@code crypto}. */
@NullMarked
package dev.syntra.server.archfixture.layers.crypto;

import org.jspecify.annotations.NullMarked;
