package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import dev.syntra.protocol.runtime.LogLine;
import java.util.List;

/**
 * A batch of lines of a log stream started by a {@link LogsCommand}.
 *
 * @param streamId the stream's id from the command
 * @param lines lines in order per replica
 * @param droppedLines lines the agent dropped since the previous chunk because the link was slower
 *     than the log
 * @param end true on the last chunk of a stream (read complete, stopped, or the service went away)
 */
public record LogChunk(String streamId, List<LogLine> lines, long droppedLines, boolean end)
    implements AgentMessage {
  public LogChunk {
    Checks.identifier(streamId, "stream_id");
    lines = Checks.list(lines, "lines");
    Checks.nonNegative(droppedLines, "dropped_lines");
  }

  @Override
  public MessageType type() {
    return MessageType.LOG_CHUNK;
  }
}
