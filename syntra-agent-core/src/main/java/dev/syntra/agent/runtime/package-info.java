/** Finding the runtime adapter with ServiceLoader and runtime auto-detection. */
@NullMarked
package dev.syntra.agent.runtime;

import org.jspecify.annotations.NullMarked;
