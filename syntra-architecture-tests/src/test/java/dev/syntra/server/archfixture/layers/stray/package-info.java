/** Server layering fixtures: a package posing as the server's {@code stray}. */
@NullMarked
package dev.syntra.server.archfixture.layers.stray;

import org.jspecify.annotations.NullMarked;
