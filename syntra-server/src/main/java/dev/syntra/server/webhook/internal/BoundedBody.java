package dev.syntra.server.webhook.internal;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * Reads at most {@link #MAX_BYTES} of a response body, then cancels the rest: a receiver cannot
 * make the server buffer (or wait for) an endless answer. The text is decoded as UTF-8 (malformed
 * bytes replaced) with NUL characters removed, since PostgreSQL text cannot hold them.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<String> {
  static final int MAX_BYTES = 4096;

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final CompletableFuture<String> result = new CompletableFuture<>();
  private Flow.@Nullable Subscription subscription;

  @Override
  public CompletionStage<String> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    for (ByteBuffer buffer : buffers) {
      int take = Math.min(buffer.remaining(), MAX_BYTES - bytes.size());
      byte[] chunk = new byte[take];
      buffer.get(chunk);
      bytes.write(chunk, 0, take);
    }
    Flow.Subscription current = subscription;
    if (bytes.size() >= MAX_BYTES) {
      complete();
      if (current != null) {
        current.cancel();
      }
    } else if (current != null) {
      current.request(1);
    }
  }

  @Override
  public void onError(Throwable throwable) {
    result.completeExceptionally(throwable);
  }

  @Override
  public void onComplete() {
    complete();
  }

  private void complete() {
    result.complete(bytes.toString(StandardCharsets.UTF_8).replace("\u0000", ""));
  }
}
