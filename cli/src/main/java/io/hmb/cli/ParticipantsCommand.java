package io.hmb.cli;

import io.hmb.api.ParticipantCode;
import io.hmb.api.v1.Role;
import io.hmb.gateway.admin.GatewayAdmin;
import io.hmb.gateway.registry.KeyPolicy;
import io.hmb.gateway.registry.Participant;
import io.hmb.gateway.registry.ParticipantKey;
import io.hmb.gateway.registry.Registry;
import io.hmb.gateway.registry.RegistrySnapshot;
import io.hmb.security.PublicKeyHandle;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hmb participants}: the registry of bureaus, hospitals, pharmacies, insurers and platforms. */
@Command(name = "participants", mixinStandardHelpOptions = true, description = "Manage participants and their keys.",
    subcommands = {ParticipantsCommand.ListCmd.class, ParticipantsCommand.Show.class, ParticipantsCommand.Add.class,
        ParticipantsCommand.Suspend.class, ParticipantsCommand.Resume.class, ParticipantsCommand.SetEndpoint.class,
        ParticipantsCommand.SetRateLimit.class, ParticipantsCommand.RotateKey.class, ParticipantsCommand.RevokeKey.class,
        ParticipantsCommand.IssueCert.class})
public final class ParticipantsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List participants (a table, or --json).")
  static final class ListCmd implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;
    @Option(names = "--json", description = "One JSON array of objects instead of the table, for scripts.") boolean json;

    @Override
    public Integer call() throws Exception {
      try (GatewayAdmin gateway = admin.open()) {
        Table table = Table.of("code", "role", "city", "status", "endpoint");
        gateway.registry().participants().forEach(p -> table.row(p.code(), role(p.role()), p.admdvs(),
            p.status().name(), new Table.Shown(p.endpoint().orElse("(inbox)"), p.endpoint().orElse(null))));
        table.print(spec.commandLine().getOut(), json, "participants");
        return 0;
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a participant and its keys (or --json).")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;
    @Parameters(description = "Participant code.") String code;
    @Option(names = "--json", description = "One JSON object (its keys an array) instead of the text, for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      try (GatewayAdmin gateway = admin.open()) {
        PrintWriter out = spec.commandLine().getOut();
        RegistrySnapshot r = gateway.registry();
        Optional<Participant> p = r.participant(code);
        if (p.isEmpty()) {
          spec.commandLine().getErr().println("no participant " + code + " (see: hmb participants list)");
          return 1;
        }
        Table keys = Table.of("key_id", "suite", "status", "primary", "not_before", "not_after");
        for (ParticipantKey k : r.keys(code)) {
          keys.row(k.keyId(), k.suite().name(), k.status().name(), k.primary(), k.notBefore().toString(),
              k.notAfter().toString());
        }
        String rateLimit = p.get().rateLimit().map(Participant.RateLimit::toString).orElse("(gateway default)");
        if (json) {
          Map<String, Object> o = new LinkedHashMap<>();
          o.put("code", code);
          o.put("role", role(p.get().role()));
          o.put("city", p.get().admdvs());
          o.put("status", p.get().status().name());
          o.put("endpoint", p.get().endpoint().orElse(null));
          o.put("rate_limit", p.get().rateLimit().map(Participant.RateLimit::toString).orElse(null));
          o.put("name", p.get().displayName());
          o.put("keys", keys.objects());
          out.println(Table.json(o));
          return 0;
        }
        out.printf("%s %s city=%s status=%s endpoint=%s rate-limit=%s name=%s%n", code, role(p.get().role()),
            p.get().admdvs(), p.get().status(), p.get().endpoint().orElse("(inbox)"), rateLimit, p.get().displayName());
        keys.printText(out, "  ");
        return 0;
      }
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Register a participant with its public key.")
  static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;
    @Option(names = "--code", required = true) String code;
    @Option(names = "--role", required = true, description = "BUREAU, HOSPITAL, PHARMACY, INSURER or PLATFORM.") String role;
    @Option(names = "--admdvs", required = true, description = "Six-digit city code.") String admdvs;
    @Option(names = "--name", required = true) String name;
    @Option(names = "--endpoint", description = "host:port of its RecipientService; omit for inbox delivery.") String endpoint;
    @Option(names = "--public-key", required = true, description = "PEM file of its SM2 or P-256 public key.") Path publicKey;

    @Override
    public Integer call() throws Exception {
      PublicKeyHandle key = PublicKeyHandle.fromPem(Files.readString(publicKey, StandardCharsets.US_ASCII));
      try (GatewayAdmin gateway = admin.open()) {
        gateway.addParticipant(new Participant(code, Role.valueOf("ROLE_" + role.toUpperCase(Locale.ROOT)), admdvs,
            name, Participant.Status.ACTIVE, Optional.ofNullable(endpoint)), key);
        spec.commandLine().getOut().printf("added %s with key %s%n", code, key.keyId());
        return 0;
      }
    }
  }

  @Command(name = "suspend", mixinStandardHelpOptions = true, description = "Suspend a participant (its messages are refused).")
  static final class Suspend implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;
    @Parameters(description = "Participant code.") String code;

    @Override
    public Integer call() throws Exception {
      try (GatewayAdmin gateway = admin.open()) {
        gateway.setStatus(code, Participant.Status.SUSPENDED);
        spec.commandLine().getOut().printf("suspended %s (effective on every node within a few seconds)%n", code);
        return 0;
      }
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Lift a suspension.")
  static final class Resume implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;
    @Parameters(description = "Participant code.") String code;

    @Override
    public Integer call() throws Exception {
      try (GatewayAdmin gateway = admin.open()) {
        gateway.setStatus(code, Participant.Status.ACTIVE);
        spec.commandLine().getOut().printf("resumed %s%n", code);
        return 0;
      }
    }
  }

  @Command(name = "set-endpoint", mixinStandardHelpOptions = true,
      description = "Set where the gateway calls a participant (its RecipientService, host:port); 'none' for inbox only.")
  static final class SetEndpoint implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;
    @Parameters(index = "0", description = "Participant code.") String code;
    @Parameters(index = "1", description = "host:port, or none.") String endpoint;

    @Override
    public Integer call() throws Exception {
      try (GatewayAdmin gateway = admin.open()) {
        gateway.setEndpoint(code, endpoint.equals("none") ? Optional.empty() : Optional.of(endpoint));
        spec.commandLine().getOut().printf("%s: endpoint %s (effective within a few seconds)%n", code, endpoint);
        return 0;
      }
    }
  }

  @Command(name = "set-rate-limit", mixinStandardHelpOptions = true,
      description = "Give a participant its own rate limit, or --default to use the gateway's again.")
  static final class SetRateLimit implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;
    @Parameters(index = "0", description = "Participant code.") String code;
    @Option(names = "--per-second", description = "Messages per second, sustained.") Double perSecond;
    @Option(names = "--burst", description = "Messages at once (bucket size).") Integer burst;
    @Option(names = "--default", description = "Drop the participant's own limit.") boolean useDefault;

    @Override
    public Integer call() throws Exception {
      if (useDefault == (perSecond != null || burst != null) || (!useDefault && (perSecond == null || burst == null))) {
        spec.commandLine().getErr().println("give either --per-second N --burst N, or --default");
        return 2;
      }
      Participant.RateLimit limit;
      try {
        limit = useDefault ? null : new Participant.RateLimit(perSecond, burst);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println(e.getMessage());
        return 2;
      }
      try (GatewayAdmin gateway = admin.open()) {
        gateway.setRateLimit(code, Optional.ofNullable(limit));
        spec.commandLine().getOut().printf("%s: rate limit %s (effective on every node within a few seconds)%n", code,
            limit == null ? "is the gateway default" : limit);
        return 0;
      } catch (Registry.RegistryException e) {
        spec.commandLine().getErr().println(e.getMessage() + " (see: hmb participants list)");
        return 1;
      }
    }
  }

  @Command(name = "rotate-key", mixinStandardHelpOptions = true,
      description = "Add a new primary key; the old one keeps verifying until --overlap-days have passed.")
  static final class RotateKey implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;
    @Parameters(description = "Participant code.") String code;
    @Option(names = "--public-key", required = true, description = "PEM file of the new public key.") Path publicKey;
    @Option(names = "--overlap-days", description = "Days both keys stay live (default: ${DEFAULT-VALUE}).")
    int overlapDays = (int) KeyPolicy.DEFAULT.rotationOverlap().toDays();

    @Override
    public Integer call() throws Exception {
      PublicKeyHandle key = PublicKeyHandle.fromPem(Files.readString(publicKey, StandardCharsets.US_ASCII));
      try (GatewayAdmin gateway = admin.open()) {
        GatewayAdmin.KeyRotation rotation = gateway.rotateKey(code, key, Duration.ofDays(overlapDays));
        spec.commandLine().getOut().printf("%s: new primary key %s; previous keys valid until %s%n", code,
            key.keyId(), rotation.previousKeysEnd());
        return 0;
      }
    }
  }

  @Command(name = "revoke-key", mixinStandardHelpOptions = true,
      description = "Revoke a key at once (e.g. it leaked): envelopes signed with it are refused with KEY_REVOKED.")
  static final class RevokeKey implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;
    @Parameters(index = "0", description = "Participant code.") String code;
    @Parameters(index = "1", description = "Key id (participants show CODE lists them).") String keyId;

    @Override
    public Integer call() throws Exception {
      try (GatewayAdmin gateway = admin.open()) {
        gateway.revokeKey(code, keyId);
        spec.commandLine().getOut().printf("revoked key %s of %s (effective on every node within a few seconds); "
            + "if it was the primary key, register a new one with rotate-key%n", keyId, code);
        return 0;
      } catch (Registry.RegistryException e) {
        spec.commandLine().getErr().printf("%s has no key %s; see ./hmb participants show %s%n", code, keyId, code);
        return 1;
      }
    }
  }

  @Command(name = "issue-cert", mixinStandardHelpOptions = true,
      description = {"Issue a certificate for a participant from the gateway's development CA: its TLS client",
          "certificate (clientAuth only, for calls to the gateway), or with --endpoint its endpoint certificate",
          "(serverAuth only, for the RecipientService the gateway pushes and forwards to; the gateway refuses an",
          "endpoint that does not present it). Neither can serve as the other, nor as the gateway."})
  static final class IssueCert implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;
    @Parameters(description = "Participant code.") String code;
    @Option(names = "--out", required = true, description = "Directory for CODE.crt, CODE.key (CODE-endpoint.crt, "
        + "CODE-endpoint.key with --endpoint) and ca.crt.") Path out;
    @Option(names = "--endpoint", description = "Issue the endpoint certificate instead of the client certificate.")
    boolean endpoint;
    @Option(names = "--name", description = {"With --endpoint: a host name or IP address the gateway dials for this",
        "endpoint (repeatable; default: localhost and 127.0.0.1)."}) List<String> names = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      try {
        ParticipantCode.require(code);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println(e.getMessage());
        return 2;
      }
      if (!names.isEmpty() && !endpoint) {
        spec.commandLine().getErr().println("--name applies to endpoint certificates only (--endpoint): a client "
            + "certificate carries no host name");
        return 2;
      }
      String file = endpoint ? code + "-endpoint" : code;
      try (GatewayAdmin gateway = admin.open()) {
        if (gateway.registry().participant(code).isEmpty()) {
          spec.commandLine().getErr().println("no participant " + code + "; register it first (hmb participants add), "
              + "then issue its certificate");
          return 1;
        }
        try {
          (endpoint ? gateway.issueEndpointIdentity(code, names) : gateway.issueTlsIdentity(code)).writeTo(out, file);
        } catch (IllegalArgumentException e) {
          spec.commandLine().getErr().println(e.getMessage());
          return 2;
        }
        Files.copy(gateway.trustBundleFile(), out.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      spec.commandLine().getOut().printf("wrote %s and %s (trust %s)%n", out.resolve(file + ".crt"),
          out.resolve(file + ".key"), out.resolve("ca.crt"));
      return 0;
    }
  }

  static String role(Role role) {
    return role.name().substring("ROLE_".length());
  }
}
