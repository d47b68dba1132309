/** The control-plane link: one outbound WebSocket, handshake, replay checks, reconnects. */
@NullMarked
package dev.syntra.agent.link;

import org.jspecify.annotations.NullMarked;
