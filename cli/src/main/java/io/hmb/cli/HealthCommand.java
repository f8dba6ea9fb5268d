package io.hmb.cli;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.hmb.security.tls.MutualTls;
import io.hmb.security.tls.TrustBundle;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hmb health}: asks a gateway's standard gRPC health service over TLS. */
@Command(name = "health", mixinStandardHelpOptions = true,
    description = "Check a gateway's health over TLS (grpc.health.v1). Prints SERVING when it is up.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:SERVING", "1:not serving or unreachable", "2:bad usage"})
public final class HealthCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--target", description = "host:port of the gateway (default: ${DEFAULT-VALUE}).")
  String target = "localhost:7443";

  @Option(names = "--ca", description = "The CA certificate to trust (default: ${DEFAULT-VALUE}).")
  Path ca = Path.of("data", "tls", "ca.crt");

  @Option(names = "--timeout-ms", description = "Deadline of the check (default: ${DEFAULT-VALUE}).")
  long timeoutMs = 5000;

  @Override
  public Integer call() throws Exception {
    if (!java.nio.file.Files.isRegularFile(ca)) {
      spec.commandLine().getErr().println("no CA certificate at " + ca + ": pass --ca with the gateway's data/tls/ca.crt "
          + "(or run this where the gateway's data directory is)");
      return 2;
    }
    ManagedChannel channel = Grpc.newChannelBuilder(target, MutualTls.anonymousToGateway(TrustBundle.load(ca))).build();
    try {
      HealthCheckResponse response = HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS)
          .check(HealthCheckRequest.getDefaultInstance());
      spec.commandLine().getOut().println(response.getStatus());
      return response.getStatus() == HealthCheckResponse.ServingStatus.SERVING ? 0 : 1;
    } catch (StatusRuntimeException e) {
      // One line: Status.toString would append the cause's whole stack trace.
      spec.commandLine().getErr().println("health check of " + target + " failed: " + oneLine(e)
          + " (is the gateway running? is --ca the CA that issued its certificate? does the server there present "
          + "the gateway's identity, urn:hmb:gateway?)");
      return 1;
    } finally {
      channel.shutdown().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** The status code, its description and the innermost cause's message, on one line. */
  static String oneLine(StatusRuntimeException e) {
    StringBuilder line = new StringBuilder(e.getStatus().getCode().name());
    if (e.getStatus().getDescription() != null) {
      line.append(" ").append(e.getStatus().getDescription());
    }
    Throwable root = e.getStatus().getCause();
    while (root != null && root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != null && root.getMessage() != null) {
      line.append(": ").append(root.getMessage());
    }
    return line.toString().replaceAll("\\s+", " ");
  }
}
