package dev.syntra.protocol.frame;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The 16-byte id of a telemetry batch, chosen by the agent. The server stores each id it has
 * written and drops frames whose id it has seen, which makes at-least-once delivery exactly-once in
 * storage. Text form: 32 lower-case hex digits.
 */
public record BatchId(long high, long low) {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{32}");

  /** 128 random bits from a {@link SecureRandom}. */
  public static BatchId random() {
    return new BatchId(RANDOM.nextLong(), RANDOM.nextLong());
  }

  /** Parses 32 lower-case hex digits. */
  public static BatchId parse(String hex) {
    if (hex == null || !HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("batch_id: must be 32 lower-case hex digits");
    }
    return new BatchId(
        HexFormat.fromHexDigitsToLong(hex, 0, 16), HexFormat.fromHexDigitsToLong(hex, 16, 32));
  }

  /** Reads 16 bytes at the buffer's position, big-endian. */
  public static BatchId read(ByteBuffer buffer) {
    return new BatchId(buffer.getLong(), buffer.getLong());
  }

  /** Writes 16 bytes at the buffer's position, big-endian. */
  public void write(ByteBuffer buffer) {
    buffer.putLong(high).putLong(low);
  }

  @Override
  public String toString() {
    return HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
  }
}
