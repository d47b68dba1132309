package dev.syntra.agent.telemetry;

/**
 * What {@link FrameShipper} has done since it was created (counters only grow).
 *
 * @param framesSent frames handed to the connection, resends included
 * @param bytesSent bytes of those frames
 * @param resent frames sent again (after a reconnect or a throttle) because no ack had come
 * @param stored batches acknowledged as {@code stored}
 * @param duplicate batches acknowledged as {@code duplicate}
 * @param rejected batches acknowledged as {@code rejected} (the control plane refused them for
 *     good; they are dropped from the buffer)
 * @param throttled {@code throttle} messages received
 * @param oversized frames dropped because they were larger than the session's {@code
 *     max_frame_bytes}
 * @param inFlightFrames frames sent and not yet acknowledged, now
 * @param inFlightBytes bytes of those frames, now
 */
public record ShipperStats(
    long framesSent,
    long bytesSent,
    long resent,
    long stored,
    long duplicate,
    long rejected,
    long throttled,
    long oversized,
    int inFlightFrames,
    long inFlightBytes) {}
