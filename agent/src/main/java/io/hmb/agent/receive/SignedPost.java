package io.hmb.agent.receive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One signed POST of JSON to the local system (a webhook call, a question to the answer URL) with a bound on
 * the whole exchange, body included: the JDK client's own request timeout ends at the response headers, so a
 * local system that sends headers and then stalls would otherwise hold the caller for ever. The reply body
 * is read up to {@link #MAX_REPLY_BYTES}.
 */
final class SignedPost {
  static final int MAX_REPLY_BYTES = 4 * 1024 * 1024;
  static final String MESSAGE_ID = "Hmb-Message-Id";
  static final String TIMESTAMP = "Hmb-Timestamp";
  static final String SIGNATURE = "Hmb-Signature";

  /** What the local system answered. */
  record Reply(int status, byte[] body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private final HttpClient http;
  private final WebhookSecret secret;
  private final Clock clock;

  SignedPost(WebhookSecret secret, Clock clock) {
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    this.secret = secret;
    this.clock = clock;
  }

  /**
   * Posts {@code body}; throws TimeoutException when no whole answer came within {@code timeout}, IOException
   * when the local system could not be reached or its answer was cut or too long.
   */
  Reply post(URI url, String messageId, byte[] body, Duration timeout)
      throws IOException, TimeoutException, InterruptedException {
    long now = clock.instant().getEpochSecond();
    HttpRequest request = HttpRequest.newBuilder(url)
        .timeout(timeout)
        .header("Content-Type", "application/json; charset=utf-8")
        .header(MESSAGE_ID, messageId)
        .header(TIMESTAMP, Long.toString(now))
        .header(SIGNATURE, secret.sign(now, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request, info -> new LimitedBody(MAX_REPLY_BYTES));
    try {
      HttpResponse<byte[]> response = call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return new Reply(response.statusCode(), response.body());
    } catch (TimeoutException | InterruptedException e) {
      call.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof java.net.http.HttpTimeoutException) {
        throw new TimeoutException("no answer within " + timeout.toMillis() + " ms");
      }
      throw cause instanceof IOException io ? io : new IOException(cause.getClass().getSimpleName(), cause);
    }
  }

  /** Collects a body up to a limit; past it the exchange is cancelled and the body fails. */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final int limit;
    private Flow.Subscription subscription;

    LimitedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        if (out.size() + b.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(new IOException("the answer is over " + limit + " bytes"));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        out.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }
  }
}
