/** Architecture rule fixtures that pose as syntra-protocol classes. */
@NullMarked
package dev.syntra.protocol.archfixture;

import org.jspecify.annotations.NullMarked;
