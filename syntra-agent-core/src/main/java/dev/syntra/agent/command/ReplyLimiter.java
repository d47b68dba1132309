package dev.syntra.agent.command;

import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.DeployStatus;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.runtime.ExecResult;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a final message fit the largest text message the control plane accepts ({@code hello_ok}
 * {@code settings.max_frame_bytes}, capped by the agent's own message bound). The hub closes the
 * connection on a larger frame, and a result that is journaled oversized would be resent, and
 * refused, on every reconnect; so a reply is made to fit before it is recorded or sent:
 *
 * <ul>
 *   <li>an {@code exec} result keeps the head of its stdout and stderr (the longer stream is cut
 *       first) and is marked {@code truncated};
 *   <li>any other oversized {@code command_result} becomes a failed result with code {@code
 *       internal} quoting the head of the original error;
 *   <li>an oversized {@code deploy_status} keeps the head of its message.
 * </ul>
 *
 * Sizes are measured on the encoded UTF-8 JSON, so escaping (a control byte becomes six characters)
 * is accounted for. Thread-safe.
 */
final class ReplyLimiter {
  private static final Logger log = LoggerFactory.getLogger(ReplyLimiter.class);

  /** How much of an error or progress message survives when the message must shrink. */
  static final int MESSAGE_HEAD_CHARS = 1000;

  private final MessageCodec codec;

  ReplyLimiter(MessageCodec codec) {
    this.codec = codec;
  }

  /** The encoded size of {@code envelope} in UTF-8 bytes. */
  int size(Envelope envelope) {
    return codec.encodeToBytes(envelope).length;
  }

  /**
   * {@code envelope}, shrunk if needed so that it encodes to at most {@code limit} bytes; empty
   * when even the shrunk form does not fit (only with absurdly small limits).
   */
  Optional<Envelope> fit(Envelope envelope, int limit) {
    int size = size(envelope);
    if (size <= limit) {
      return Optional.of(envelope);
    }
    Envelope shrunk =
        switch (envelope.payload()) {
          case CommandResult r when r.exec() != null -> trimExec(envelope, r.exec(), size, limit);
          case CommandResult r -> replaceResult(envelope, r, size, limit);
          case DeployStatus s ->
              with(
                  envelope,
                  new DeployStatus(
                      s.deploymentId(), s.service(), s.phase(), head(s.message()), s.errorCode()));
          default -> null;
        };
    if (shrunk == null || size(shrunk) > limit) {
      log.error(
          "{} {} is {} bytes encoded, more than the {}-byte message limit, and cannot be shrunk;"
              + " dropping it",
          envelope.type().wireName(),
          envelope.id(),
          size,
          limit);
      return Optional.empty();
    }
    log.warn(
        "{} for {} was {} bytes encoded, more than the {}-byte message limit; sending {} bytes",
        envelope.type().wireName(),
        envelope.replyTo(),
        size,
        limit,
        size(shrunk));
    return Optional.of(shrunk);
  }

  private Envelope trimExec(Envelope envelope, ExecResult exec, int size, int limit) {
    // Share the room left by everything else fairly between the two streams, measured in encoded
    // bytes; then keep the longest head of each that fits its share.
    int empty = size(withStreams(envelope, exec, "", ""));
    long room = Math.max(0, limit - empty);
    long outCost = encodedLength(exec.stdout(), exec.stdout().length());
    long errCost = encodedLength(exec.stderr(), exec.stderr().length());
    long outShare = Math.min(outCost, Math.max(room / 2, room - errCost));
    long errShare = Math.min(errCost, room - outShare);
    String out = head(exec.stdout(), outShare);
    String err = head(exec.stderr(), errShare);
    Envelope candidate = withStreams(envelope, exec, out, err);
    int over = size(candidate) - limit;
    // A safety net in case the encoder escapes more than estimated: cut further until it fits.
    while (over > 0) {
      if (out.isEmpty() && err.isEmpty()) {
        return replaceResult(envelope, CommandResult.ok(exec), size, limit);
      }
      // Every char encodes to at least one byte: cutting `over` chars removes at least `over`.
      if (out.length() >= err.length()) {
        out = cut(out, over);
      } else {
        err = cut(err, over);
      }
      candidate = withStreams(envelope, exec, out, err);
      over = size(candidate) - limit;
    }
    return candidate;
  }

  private static Envelope withStreams(Envelope envelope, ExecResult exec, String out, String err) {
    return with(
        envelope,
        CommandResult.ok(
            new ExecResult(exec.exitCode(), out, err, true, exec.timedOut(), exec.duration())));
  }

  /**
   * The longest head of {@code text} whose JSON-escaped UTF-8 encoding is at most {@code bytes}.
   */
  static String head(String text, long bytes) {
    long used = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      boolean pair =
          Character.isHighSurrogate(c)
              && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1));
      int cost = pair ? 4 : encodedLength(c);
      if (used + cost > bytes) {
        break;
      }
      used += cost;
      i += pair ? 2 : 1;
    }
    return text.substring(0, i);
  }

  private static long encodedLength(String text, int chars) {
    long total = 0;
    for (int i = 0; i < chars; i++) {
      char c = text.charAt(i);
      total += Character.isSurrogate(c) ? 2 : encodedLength(c); // a pair is 4 bytes in UTF-8
    }
    return total;
  }

  /** Bytes of one BMP char in a JSON string (PROTOCOL §3.3 escaping), UTF-8 encoded. */
  private static int encodedLength(char c) {
    if (c == '"' || c == '\\' || c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r') {
      return 2;
    }
    if (c < 0x20) {
      return 6;
    }
    if (c < 0x80) {
      return 1;
    }
    if (c < 0x800) {
      return 2;
    }
    return 3;
  }

  private static Envelope replaceResult(
      Envelope envelope, CommandResult result, int size, int limit) {
    String what =
        result.error() == null
            ? "the command succeeded"
            : "the command failed with "
                + result.error().code()
                + ": "
                + head(result.error().message());
    return with(
        envelope,
        CommandResult.failed(
            "internal",
            what
                + " (its result was "
                + size
                + " bytes encoded, more than the "
                + limit
                + "-byte message limit of the link, and was cut)"));
  }

  /** {@code text} without its last {@code chars} characters, never splitting a surrogate pair. */
  static String cut(String text, int chars) {
    int keep = Math.max(0, text.length() - chars);
    if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--;
    }
    return text.substring(0, keep);
  }

  private static String head(String text) {
    return text.length() <= MESSAGE_HEAD_CHARS
        ? text
        : cut(text, text.length() - MESSAGE_HEAD_CHARS) + "… (cut)";
  }

  private static Envelope with(Envelope envelope, dev.syntra.protocol.message.Message payload) {
    return new Envelope(
        envelope.version(),
        envelope.id(),
        envelope.ts(),
        envelope.nonce(),
        envelope.replyTo(),
        payload);
  }
}
