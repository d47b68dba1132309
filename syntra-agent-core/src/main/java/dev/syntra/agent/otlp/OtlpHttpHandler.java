package dev.syntra.agent.otlp;

import dev.syntra.agent.otlp.OtlpCounters.Transport;
import dev.syntra.telemetry.Signal;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OTLP/HTTP connection: reads a request's headers, answers 404/405/415/413 before reading the
 * body where it can, collects the body up to its cap, then decodes, validates and hands it on
 * ({@link HttpExport}). One instance per channel; runs on its event loop only.
 */
final class OtlpHttpHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpHttpHandler.class);

  private enum Mode {
    /** Between requests. */
    IDLE,
    /** Collecting the body of an acceptable request. */
    READING,
    /** Skipping the body of a request already judged; {@link #pending} answers it at its end. */
    DISCARDING,
    /** Answered with "Connection: close"; what is still coming is skipped until the end. */
    CLOSING
  }

  private final HttpExport export;
  private final OtlpHttpSettings settings;

  private Mode mode = Mode.IDLE;
  private @Nullable HttpRoute route;
  private boolean keepAlive;
  private @Nullable ByteBuf body;
  private int cap;
  private long discarded;
  private @Nullable FullHttpResponse pending;

  OtlpHttpHandler(HttpExport export, OtlpHttpSettings settings) {
    this.export = export;
    this.settings = settings;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest request) {
        onRequest(ctx, request);
      }
      if (msg instanceof HttpContent content && ctx.channel().isActive()) {
        onContent(ctx, content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onRequest(ChannelHandlerContext ctx, HttpRequest request) {
    if (mode == Mode.CLOSING) {
      return;
    }
    releaseBody();
    if (request.decoderResult().isFailure()) {
      FullHttpResponse r =
          HttpAnswers.error(
              ctx.alloc(),
              HttpResponseStatus.BAD_REQUEST,
              false,
              "malformed HTTP request: " + request.decoderResult().cause().getMessage());
      closeAfter(ctx, r, true);
      return;
    }
    HttpRoute r = HttpRoute.of(request);
    route = r;
    keepAlive = HttpUtil.isKeepAlive(request);
    boolean expectContinue = HttpUtil.is100ContinueExpected(request);
    if (r.error() != null) {
      count(r);
      FullHttpResponse answer =
          HttpAnswers.error(ctx.alloc(), r.error(), r.json(), r.errorMessage());
      if (expectContinue) {
        closeAfter(ctx, answer, false); // the client waits for us; its body never comes
      } else {
        pending = answer;
        mode = Mode.DISCARDING;
        discarded = 0;
      }
      return;
    }
    cap =
        r.compression() == HttpRoute.Compression.NONE
            ? settings.maxBodyBytes()
            : settings.maxCompressedBodyBytes();
    long length = HttpUtil.getContentLength(request, -1L);
    if (length > cap) {
      tooLarge(ctx, r, "the body (" + length + " bytes) is larger than " + cap + " bytes");
      return;
    }
    if (expectContinue) {
      ctx.writeAndFlush(
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    // Grows with what arrives: a declared length alone must not reserve memory.
    body = ctx.alloc().heapBuffer(length >= 0 ? (int) Math.min(length, 64 << 10) : 8192, cap);
    mode = Mode.READING;
  }

  private void onContent(ChannelHandlerContext ctx, HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    switch (mode) {
      case IDLE -> {
        // content without a request (after an early answer on a closed request): ignore
      }
      case CLOSING -> {
        if (last) {
          ctx.close();
        }
      }
      case DISCARDING -> {
        discarded += content.content().readableBytes();
        if (last) {
          FullHttpResponse answer = pending;
          pending = null;
          mode = Mode.IDLE;
          if (answer != null) {
            write(ctx, answer);
          }
        } else if (discarded > settings.maxCompressedBodyBytes()) {
          FullHttpResponse answer = pending;
          pending = null;
          if (answer != null) {
            closeAfter(ctx, answer, false);
          }
        }
      }
      case READING -> read(ctx, content, last);
    }
  }

  private void read(ChannelHandlerContext ctx, HttpContent content, boolean last) {
    ByteBuf b = body;
    HttpRoute r = route;
    if (b == null || r == null) {
      return;
    }
    ByteBuf chunk = content.content();
    if (chunk.readableBytes() > cap - b.writerIndex()) {
      releaseBody();
      tooLarge(ctx, r, "the body is larger than " + cap + " bytes");
      if (last) {
        ctx.close();
      }
      return;
    }
    b.writeBytes(chunk);
    if (last) {
      body = null;
      mode = Mode.IDLE;
      FullHttpResponse answer;
      try {
        answer = export.handle(ctx.alloc(), r, b);
      } finally {
        b.release();
      }
      write(ctx, answer);
    }
  }

  private void tooLarge(ChannelHandlerContext ctx, HttpRoute r, String message) {
    count(r);
    FullHttpResponse answer =
        HttpAnswers.error(
            ctx.alloc(), HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, r.json(), message);
    closeAfter(ctx, answer, false);
  }

  private void count(HttpRoute r) {
    Signal s = r.signal();
    if (s != null) {
      export.ingest().bad(Transport.HTTP, s);
    }
  }

  private void write(ChannelHandlerContext ctx, FullHttpResponse answer) {
    HttpUtil.setKeepAlive(answer, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(answer, ctx.voidPromise());
    } else {
      ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /**
   * Answers and closes. When the request is still arriving, the output is shut (FIN) and the rest
   * is read and skipped until its end: closing with unread data would reset the connection and the
   * client could lose the answer.
   */
  private void closeAfter(ChannelHandlerContext ctx, FullHttpResponse answer, boolean requestDone) {
    HttpAnswers.closeAfter(answer);
    if (requestDone || !(ctx.channel() instanceof DuplexChannel duplex)) {
      ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    mode = Mode.CLOSING;
    ctx.writeAndFlush(answer).addListener(f -> duplex.shutdownOutput());
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      ctx.close(); // idle keep-alive connection, or a client that stopped sending mid-request
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    releaseBody();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof VirtualMachineError fatal) {
      throw fatal;
    }
    LOG.debug("OTLP/HTTP connection {} failed", ctx.channel().remoteAddress(), cause);
    releaseBody();
    ctx.close();
  }

  private void releaseBody() {
    ByteBuf b = body;
    body = null;
    if (b != null) {
      b.release();
    }
    FullHttpResponse p = pending;
    pending = null;
    if (p != null) {
      p.release();
    }
  }
}
