/** Test stand-ins: a protocol-speaking hub on loopback, certificates and an in-memory runtime. */
@NullMarked
package dev.syntra.agent.testing;

import org.jspecify.annotations.NullMarked;
