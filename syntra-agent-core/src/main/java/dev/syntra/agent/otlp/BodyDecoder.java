package dev.syntra.agent.otlp;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Decompresses a gzip or zstd request body into a heap buffer, stopping as soon as the output
 * passes the cap: a zip bomb costs the cap and an error, never more memory.
 */
final class BodyDecoder {
  /** zstd frames may ask for a window of at most 2^23 bytes (8 MiB) of decoder memory. */
  private static final int ZSTD_WINDOW_LOG_MAX = 23;

  private static final int CHUNK = 64 << 10;

  /** The body decompresses to more than the cap. */
  static final class TooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message, null, false, false);
    }
  }

  private BodyDecoder() {}

  /**
   * The decompressed body (a new buffer the caller releases); {@code compressed} is not released.
   *
   * @throws TooLargeException beyond {@code maxBytes}
   * @throws IOException the body is not valid gzip/zstd
   */
  static ByteBuf decompress(
      ByteBuf compressed, HttpRoute.Compression compression, int maxBytes, ByteBufAllocator alloc)
      throws IOException, TooLargeException {
    ByteBuf out =
        alloc.heapBuffer(
            Math.min(maxBytes, Math.max(1024, compressed.readableBytes() * 4)), maxBytes);
    boolean ok = false;
    try (InputStream in = open(compressed, compression)) {
      while (true) {
        int room = maxBytes - out.writerIndex();
        if (room == 0) {
          if (in.read() >= 0) {
            throw new TooLargeException(
                "the body decompresses to more than " + maxBytes + " bytes");
          }
          break;
        }
        out.ensureWritable(Math.min(CHUNK, room));
        int n = out.writeBytes(in, Math.min(out.writableBytes(), room));
        if (n < 0) {
          break;
        }
      }
      ok = true;
      return out;
    } finally {
      if (!ok) {
        out.release();
      }
    }
  }

  private static InputStream open(ByteBuf compressed, HttpRoute.Compression compression)
      throws IOException {
    InputStream raw = new ByteBufInputStream(compressed.duplicate(), false);
    return switch (compression) {
      case GZIP -> new GZIPInputStream(raw, 8192);
      case ZSTD -> {
        ZstdInputStreamNoFinalizer zstd = new ZstdInputStreamNoFinalizer(raw);
        zstd.setLongMax(ZSTD_WINDOW_LOG_MAX);
        yield zstd;
      }
      case NONE -> raw;
    };
  }
}
