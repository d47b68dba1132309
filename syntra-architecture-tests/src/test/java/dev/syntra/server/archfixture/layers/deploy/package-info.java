/** Server layering fixtures: a package posing as the server's {@code deploy}. */
@NullMarked
package dev.syntra.server.archfixture.layers.deploy;

import org.jspecify.annotations.NullMarked;
