package io.hmb.adapters.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The product files shipped in this module ({@code products/<code>.json} on the classpath), read and
 * validated once. A file whose "code" is not its file name is refused.
 */
public final class ProductCatalog {
  /** Every shipped product, in the order the docs list them. */
  public static final List<String> CODES = List.of("dalian-2025-basic", "dalian-2025-upgrade", "dalian-2024-upgrade",
      "dalian-resident-critical-illness", "wuwei-2025-basic", "wuwei-2025-upgrade", "liaocheng-2024");

  private static volatile ProductCatalog shipped;
  private final Map<String, Product> products;

  private ProductCatalog(Map<String, Product> products) {
    this.products = Map.copyOf(products);
  }

  /** The shipped catalogue, loaded on first use; fails with every problem of every file. */
  public static ProductCatalog shipped() {
    ProductCatalog c = shipped;
    if (c == null) {
      synchronized (ProductCatalog.class) {
        if (shipped == null) shipped = load(CODES);
        c = shipped;
      }
    }
    return c;
  }

  static ProductCatalog load(List<String> codes) {
    Map<String, Product> out = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String code : codes) {
      String resource = "products/" + code + ".json";
      try {
        Product p = ProductReader.read(resource, readResource(resource));
        if (!p.code().equals(code)) problems.add(resource + ": code: must match the file name, was \"" + p.code() + "\"");
        out.put(code, p);
      } catch (ProductFileException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) throw new IllegalStateException("product catalogue does not load:\n" + String.join("\n", problems));
    return new ProductCatalog(out);
  }

  private static String readResource(String resource) {
    try (InputStream in = ProductCatalog.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new ProductFileException(resource, List.of("not found on the classpath"));
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(resource, e);
    }
  }

  public Product get(String code) {
    Product p = products.get(code);
    if (p == null) throw new IllegalArgumentException("unknown product \"" + code + "\"; known: " + CODES);
    return p;
  }

  public List<Product> all() {
    return CODES.stream().map(products::get).toList();
  }
}
