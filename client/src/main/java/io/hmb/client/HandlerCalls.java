package io.hmb.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.hmb.api.Errors;
import io.hmb.api.v1.ErrorReason;
import java.util.Map;

/**
 * Runs a handler and turns its failures into statuses the asker can act on. A handler's own hmb.v1
 * status passes unchanged; {@link InvalidPayloadException} becomes PAYLOAD_INVALID with the field;
 * anything else becomes INTERNAL naming only the exception class (its message may hold personal data).
 */
final class HandlerCalls {
  private static final System.Logger LOG = System.getLogger(HandlerCalls.class.getName());

  @FunctionalInterface
  interface Call<R> {
    R run() throws Exception;
  }

  private HandlerCalls() {}

  static <R> R run(Call<R> call, MessageContext context) {
    try {
      return call.run();
    } catch (StatusRuntimeException e) {
      throw e;
    } catch (InvalidPayloadException e) {
      throw Errors.of(ErrorReason.PAYLOAD_INVALID, e.getMessage(), Map.of("field", e.field()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("the recipient was interrupted").asRuntimeException();
    } catch (Exception e) {
      // Log the class and the header facts only: the message could quote the payload.
      LOG.log(System.Logger.Level.WARNING, "handler failed messageId={0} type={1} sender={2} exception={3}",
          context.messageId(), context.messageType(), context.sender(), e.getClass().getName());
      throw Status.INTERNAL.withDescription("the recipient's handler failed (" + e.getClass().getSimpleName()
          + "); see the recipient's logs for message " + context.messageId()).asRuntimeException();
    }
  }
}
