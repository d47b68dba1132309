package dev.syntra.agent.otlp;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Closes a connection that is not answered within a time of the first byte received after its last
 * answer. The idle timeout restarts with every byte read, so without this a client trickling its
 * headers a byte at a time would hold its connection, one of the few allowed, for ever. Sits next
 * to the socket (it sees raw bytes in, encoded answers out); one instance per channel, on its loop.
 */
final class RequestDeadline extends ChannelDuplexHandler {
  private final long timeoutNanos;
  private @Nullable ScheduledFuture<?> timer;

  RequestDeadline(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (timer == null) {
      timer = ctx.executor().schedule(() -> ctx.close(), timeoutNanos, TimeUnit.NANOSECONDS);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    cancel(); // answered (or 100 Continue: the body's first byte starts the clock again)
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  private void cancel() {
    ScheduledFuture<?> t = timer;
    timer = null;
    if (t != null) {
      t.cancel(false);
    }
  }
}
