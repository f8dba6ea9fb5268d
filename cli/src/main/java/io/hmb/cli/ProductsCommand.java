package io.hmb.cli;

import io.hmb.gateway.admin.GatewayAdmin;
import io.hmb.gateway.registry.Product;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hmb products}: city products and their co-insurance bodies. */
@Command(name = "products", mixinStandardHelpOptions = true, description = "Manage city products and co-insurance bodies.",
    subcommands = {ProductsCommand.ListCmd.class, ProductsCommand.Add.class})
public final class ProductsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List products (a table, or --json).")
  static final class ListCmd implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;
    @Option(names = "--json", description = "One JSON array of objects instead of the table, for scripts.") boolean json;

    @Override
    public Integer call() throws Exception {
      try (GatewayAdmin gateway = admin.open()) {
        Table table = Table.of("code", "city", "lead", "term_start", "term_end", "members");
        for (Product p : gateway.registry().products()) {
          List<Map<String, Object>> members = new ArrayList<>();
          for (Product.Member m : p.members()) {
            Map<String, Object> member = new java.util.LinkedHashMap<>();
            member.put("insurer", m.insurer());
            member.put("share_bp", m.shareBp());
            members.add(member);
          }
          String shown = String.join(",", p.members().stream().map(m -> m.insurer() + ":" + m.shareBp()).toList());
          table.row(p.code(), p.admdvs(), p.leadInsurer(), p.termStart().toString(), p.termEnd().toString(),
              new Table.Shown(shown, members));
        }
        table.print(spec.commandLine().getOut(), json, "products");
        return 0;
      }
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a product with its co-insurance body.")
  static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;
    @Option(names = "--code", required = true) String code;
    @Option(names = "--admdvs", required = true) String admdvs;
    @Option(names = "--lead", required = true, description = "Participant code of the lead insurer.") String lead;
    @Option(names = "--member", required = true, description = "INSURER=BASIS_POINTS, shares summing to 10000.")
    Map<String, Integer> members;
    @Option(names = "--term-start", required = true) LocalDate termStart;
    @Option(names = "--term-end", required = true) LocalDate termEnd;

    @Override
    public Integer call() throws Exception {
      List<Product.Member> list = new ArrayList<>();
      members.forEach((insurer, bp) -> list.add(new Product.Member(insurer, bp)));
      try (GatewayAdmin gateway = admin.open()) {
        gateway.addProduct(new Product(code, admdvs, lead, termStart, termEnd, list));
        spec.commandLine().getOut().printf("added product %s%n", code);
        return 0;
      }
    }
  }
}
