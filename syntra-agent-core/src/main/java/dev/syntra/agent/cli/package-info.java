/** The {@code syntra-agent} command line: {@code run}, {@code status} and {@code version}. */
@NullMarked
package dev.syntra.agent.cli;

import org.jspecify.annotations.NullMarked;
