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

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List products.")
  static final class ListCmd implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;

    @Override
    public Integer call() throws Exception {
      try (GatewayAdmin gateway = admin.open()) {
        var products = gateway.registry().products();
        products.forEach(p -> spec.commandLine().getOut().printf("%-22s %s lead=%s term=%s..%s members=%s%n", p.code(),
            p.admdvs(), p.leadInsurer(), p.termStart(), p.termEnd(),
            p.members().stream().map(m -> m.insurer() + ":" + m.shareBp()).toList()));
        spec.commandLine().getOut().printf("%d products%n", products.size());
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
