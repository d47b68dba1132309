/** Architecture rule fixtures that pose as syntra-ai classes. */
@NullMarked
package dev.syntra.ai.archfixture;

import org.jspecify.annotations.NullMarked;
