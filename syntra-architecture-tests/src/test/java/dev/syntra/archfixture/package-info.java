/** Architecture rule fixtures in no module's base package. */
@NullMarked
package dev.syntra.archfixture;

import org.jspecify.annotations.NullMarked;
