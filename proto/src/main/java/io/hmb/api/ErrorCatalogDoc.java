package io.hmb.api;

/** Renders docs/errors.md from {@link ErrorCatalog}; a test fails when the committed file differs. */
public final class ErrorCatalogDoc {
  private ErrorCatalogDoc() {}

  public static String render() {
    StringBuilder out = new StringBuilder();
    out.append("# Error reasons (generated from ErrorCatalog.java; do not edit by hand)\n\n")
        .append("Every rejection is a gRPC status with a `google.rpc.ErrorInfo` whose `domain` is `")
        .append(Errors.DOMAIN).append("` and whose `reason` is one of the names below")
        .append(" (hmb.v1 `ErrorReason`). Retryable reasons also carry `google.rpc.RetryInfo`.\n")
        .append("Both travel as the `details` of a `google.rpc.Status` serialised into the `grpc-status-details-bin` ")
        .append("trailer (grpc-java: `io.grpc.protobuf.StatusProto.fromThrowable`; grpc-go: `status.FromError`); the ")
        .append("protos are in the proto bundle, `proto/target/hmb-proto-bundle.zip` (docs/envelope.md, \"Getting the ")
        .append("protos\"). The status message is a sentence for a person; a program reads the reason.\n")
        .append("To regenerate: `mvn -pl proto test -Dhmb.docs.write=true`.\n\n")
        .append("| reason | gRPC code | retryable | what to do next |\n")
        .append("|---|---|---|---|\n");
    ErrorCatalog.entries().values().forEach(e -> out.append("| `").append(e.reason().name())
        .append("` | ").append(e.code().name())
        .append(" | ").append(e.retryable() ? "yes" : "no")
        .append(" | ").append(e.nextStep()).append(" |\n"));
    return out.toString();
  }
}
