/**
 * Shipping telemetry to the control plane: {@link dev.syntra.agent.telemetry.FrameShipper} sends
 * the buffer's sealed frames over the link as binary WebSocket messages, within a bounded in-flight
 * window, and acknowledges them in the buffer when the control plane says it has them.
 */
@NullMarked
package dev.syntra.agent.telemetry;

import org.jspecify.annotations.NullMarked;
