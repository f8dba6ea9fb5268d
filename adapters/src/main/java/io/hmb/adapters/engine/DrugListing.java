package io.hmb.adapters.engine;

/**
 * One entry of a product's drug list: the name a claim's {@code drug} is matched on, and, where the list
 * names them, the brand (商品名) and manufacturer (生产厂家) a dispensed drug must match (Dalian 责任免除 2:
 * 不符合...规定的生产厂家、适应症). A mismatch denies only when the claim shows the brand or manufacturer.
 *
 * @param brand null when the list names none
 * @param manufacturer null when the list names none (the Dalian seed gives brands, no manufacturers)
 */
public record DrugListing(String name, String brand, String manufacturer) {
  public static DrugListing named(String name) {
    return new DrugListing(name, null, null);
  }
}
