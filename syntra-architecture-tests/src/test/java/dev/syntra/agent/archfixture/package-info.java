/** Architecture rule fixtures that pose as syntra-agent-core classes. */
@NullMarked
package dev.syntra.agent.archfixture;

import org.jspecify.annotations.NullMarked;
