package io.hmb.cli;

import io.hmb.adapters.engine.ClaimType;
import io.hmb.adapters.engine.Product;
import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.adapters.mapping.FieldProblem;
import io.hmb.adapters.mapping.MappingContext;
import io.hmb.adapters.mapping.SetlinfoMapping;
import io.hmb.adapters.mapping.SetlinfoOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hmb map}: the bureau's own formats mapped with a city's product, for integrators checking their data
 * before the agent or the gateway sees it. Nothing is sent anywhere.
 */
@Command(name = "map", mixinStandardHelpOptions = true,
    description = "Map the national platform's formats to hmb.v1 with a city product, and say what could not be mapped.",
    subcommands = {MapCommand.Setlinfo.class})
public final class MapCommand implements Runnable {
  @Spec CommandSpec spec;

  public MapCommand() {}

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /**
   * {@code map setlinfo FILE --product CODE}: the SettlementData (protobuf JSON, personal data masked) and the
   * problems as a table, or all of it as JSON with {@code --json}.
   */
  @Command(name = "setlinfo", mixinStandardHelpOptions = true,
      description = {"Map a settlement result in the platform's setlinfo JSON (decimal yuan) to hmb.v1.SettlementData "
          + "(integer fen) with the product's city mapping; print it (personal data masked) and, field by field, what "
          + "could not be mapped.",
          "FILE is a setlinfo object or the 2304 output object {\"setlinfo\": {...}, \"setldetail\": [...]}."},
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {"0:clean: every field mapped", "1:problems: a field could not be mapped (see the table)",
          "2:usage: unknown product, unreadable file, not JSON, a bad option value"})
  public static final class Setlinfo implements Callable<Integer> {
    static final int PROBLEMS = 1;

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the setlinfo JSON file")
    Path file;

    // Checked in call(), not by picocli, so a missing or wrong value is one line and exit 2 like every usage error.
    @Option(names = "--product", paramLabel = "CODE", description = "the shipped product whose city mapping applies (dalian-2025-upgrade, wuwei-2025-basic, liaocheng-2024, ...)")
    String product;

    @Option(names = "--treatment-admdvs", paramLabel = "ADMDVS",
        description = "where the care happened (mdtrtarea_admvs); default the product's city")
    String treatmentAdmdvs;

    @Option(names = "--insured-admdvs", paramLabel = "ADMDVS",
        description = "where the person is insured (insuplc_admdvs); default the product's city")
    String insuredAdmdvs;

    @Option(names = "--policy-start", paramLabel = "YYYY-MM-DD",
        description = "the policy's own start day, for products whose year runs from enrolment (Wuwei)")
    String policyStart;

    @Option(names = "--care-type", paramLabel = "TYPE",
        description = "the care type when the bureau states it (DAY_WARD, HEAVY_ION, ...); default from clr_type")
    String careType;

    @Option(names = "--out-of-area-filed", description = "an out-of-area stay was filed (异地就医备案)")
    boolean outOfAreaFiled;

    @Option(names = "--known", paramLabel = "FIELD", split = ",",
        description = "fields to accept without a report (a city's own setlinfo extension)")
    List<String> known = List.of();

    @Option(names = "--unknown-fields-block", description = "an unknown field stops the mapping (default: reported, not carried)")
    boolean unknownFieldsBlock;

    @Option(names = "--json", description = "print the report as JSON: clean, settlement_data, problems")
    boolean json;

    public Setlinfo() {}

    @Override
    public Integer call() {
      if (product == null || product.isBlank()) {
        throw new IllegalArgumentException("--product CODE is required; known: " + ProductCatalog.CODES);
      }
      Product p = ProductCatalog.shipped().get(product); // unknown: IllegalArgumentException naming the known codes
      var ctx = new MappingContext(orCity(treatmentAdmdvs, p), orCity(insuredAdmdvs, p), outOfAreaFiled, 0,
          careType(), policyStart());
      var document = readDocument();
      SetlinfoMapping m = SetlinfoMapping.of(p, document, ctx, new SetlinfoOptions(Set.copyOf(known), unknownFieldsBlock));
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(m.reportJson().toPrettyString());
      } else {
        printText(out, m);
      }
      out.flush();
      return m.clean() ? 0 : PROBLEMS;
    }

    private static void printText(PrintWriter out, SetlinfoMapping m) {
      m.dataForDisplay().ifPresentOrElse(d -> {
        out.println("hmb.v1.SettlementData (protobuf JSON, amounts in fen, personal data masked):");
        out.println(SetlinfoMapping.canonicalJson(d));
      }, () -> out.println("no SettlementData: " + m.problems().stream().filter(FieldProblem::blocking).count()
          + " problem(s) stop the mapping"));
      if (m.clean()) {
        out.println("clean: every field mapped");
        return;
      }
      out.println(m.problems().size() + " problem(s):");
      String[] head = {"FIELD", "PROBLEM", "VALUE", "BLOCKS", "DETAIL"};
      List<String[]> rows = m.problems().stream().map(pr -> new String[] {pr.path(), pr.reason().name(),
          pr.shown().isEmpty() ? "-" : pr.shown(), pr.blocking() ? "yes" : "no", pr.detail()}).toList();
      int[] width = new int[head.length - 1];
      for (int i = 0; i < width.length; i++) {
        width[i] = head[i].length();
        for (String[] r : rows) width[i] = Math.max(width[i], r[i].codePointCount(0, r[i].length()));
      }
      out.println(row(head, width));
      rows.forEach(r -> out.println(row(r, width)));
    }

    private static String row(String[] cells, int[] width) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < width.length; i++) {
        b.append(cells[i]).append(" ".repeat(width[i] - cells[i].codePointCount(0, cells[i].length()) + 2));
      }
      return b.append(cells[cells.length - 1]).toString();
    }

    private com.fasterxml.jackson.databind.JsonNode readDocument() {
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException(file + " is not UTF-8 text");
      } catch (java.nio.file.NoSuchFileException e) {
        throw new IllegalArgumentException("cannot read " + file + ": no such file");
      } catch (java.nio.file.AccessDeniedException e) {
        throw new IllegalArgumentException("cannot read " + file + ": permission denied");
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + file + (Files.isDirectory(file) ? ": it is a directory" : ""));
      }
      try {
        return SetlinfoMapping.readDocument(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + " " + e.getMessage());
      }
    }

    private static String orCity(String admdvs, Product p) {
      return admdvs == null ? p.cityAdmdvs() : admdvs;
    }

    private LocalDate policyStart() {
      if (policyStart == null) return null;
      try {
        return LocalDate.parse(policyStart);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("--policy-start must be a day like 2025-03-01");
      }
    }

    private ClaimType careType() {
      if (careType == null) return null;
      try {
        return ClaimType.valueOf(careType.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--care-type must be one of " + Arrays.toString(ClaimType.values()));
      }
    }
  }
}
