/** The Syntra agent: connects a server to the control plane and runs its commands on a runtime. */
@NullMarked
package dev.syntra.agent;

import org.jspecify.annotations.NullMarked;
