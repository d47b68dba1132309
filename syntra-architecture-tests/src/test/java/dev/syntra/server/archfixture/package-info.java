/** Architecture rule fixtures that pose as syntra-server classes. */
@NullMarked
package dev.syntra.server.archfixture;

import org.jspecify.annotations.NullMarked;
