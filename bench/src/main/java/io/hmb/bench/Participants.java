package io.hmb.bench;

import io.hmb.api.v1.Role;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.registry.Product;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The bench's parties in one gateway's registry: the city's bureau (the caller), the lead insurer behind
 * a simulated RecipientService, and a co-insurer, tied together by a product split 70/30 between the two.
 */
record Participants(Party bureau, Party lead, Party coInsurer, SimulatedInsurer insurer) implements AutoCloseable {

  /** Registers all of it through {@code gateway}; on failure closes what had started. */
  static Participants register(Gateway gateway) throws Exception {
    Party bureau = null;
    Party lead = null;
    Party coInsurer = null;
    SimulatedInsurer insurer = null;
    try {
      bureau = Party.register(gateway, "BUREAU-" + Messages.CITY, Role.ROLE_BUREAU, Messages.CITY);
      lead = Party.register(gateway, "INSURER-LEAD-" + Messages.CITY, Role.ROLE_INSURER, Messages.CITY);
      coInsurer = Party.register(gateway, "INSURER-CO-" + Messages.CITY, Role.ROLE_INSURER, Messages.CITY);
      gateway.admin().addProduct(new Product(Messages.PRODUCT, Messages.CITY, lead.code, LocalDate.now().minusMonths(1),
          LocalDate.now().plusMonths(11), List.of(new Product.Member(lead.code, 7000),
              new Product.Member(coInsurer.code, 3000))));
      insurer = new SimulatedInsurer(lead, gateway.admin().issueEndpointIdentity(lead.code, java.util.List.of()), bureau,
          gateway.admin().trustBundle());
      gateway.admin().setEndpoint(lead.code, Optional.of(insurer.address()));
      return new Participants(bureau, lead, coInsurer, insurer);
    } catch (Exception | Error e) {
      new Participants(bureau, lead, coInsurer, insurer).close();
      throw e;
    }
  }

  /** Closes what is there, last started first; never throws, so that the gateway can stop after it. */
  @Override
  public void close() {
    for (AutoCloseable c : new AutoCloseable[] {insurer, coInsurer, lead, bureau}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // keep closing the rest
      }
    }
  }
}
