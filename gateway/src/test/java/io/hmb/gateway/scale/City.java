package io.hmb.gateway.scale;

import io.hmb.api.v1.Role;
import io.hmb.client.NodeCalls;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.TestEndpoint;
import io.hmb.gateway.support.TestParty;
import io.hmb.security.tls.TrustBundle;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One city's participants: the bureau (sends settlement data, answers deductions at its endpoint), the
 * lead insurer (sends deductions, takes settlement data by push) and a co-insurer (takes settlement
 * data from its inbox), with the product that makes both insurers serve the city.
 */
final class City implements AutoCloseable {
  final String admdvs;
  final TestParty bureau;
  final TestParty lead;
  final TestParty coInsurer;
  final BureauDesk desk;
  final PushRecipient leadEndpoint;
  private final TrustBundle gatewayCa;
  private final List<AutoCloseable> resources = new ArrayList<>();
  NodeChannels bureauChannels;
  NodeChannels leadChannels;

  private City(String admdvs, TestParty bureau, TestParty lead, TestParty coInsurer, TrustBundle gatewayCa,
      DeliveryLedger ledger, NodeCertificates nodes) throws Exception {
    this.admdvs = admdvs;
    this.bureau = keep(bureau);
    this.lead = keep(lead);
    this.coInsurer = keep(coInsurer);
    this.desk = new BureauDesk(bureau, lead, admdvs);
    this.gatewayCa = gatewayCa;
    this.leadEndpoint = keep(new PushRecipient(lead, gatewayCa, ledger, nodes));
  }

  /** Registers the city in the shared database through one node, and starts the endpoints. */
  static City register(Gateway node, String admdvs, DeliveryLedger ledger, NodeCertificates nodes) throws Exception {
    TestParty bureau = TestParty.register(node, "BUREAU-" + admdvs, Role.ROLE_BUREAU, admdvs, Optional.empty());
    TestParty lead = TestParty.register(node, "INSURER-LEAD-" + admdvs, Role.ROLE_INSURER, admdvs, Optional.empty());
    TestParty co = TestParty.register(node, "INSURER-CO-" + admdvs, Role.ROLE_INSURER, admdvs, Optional.empty());
    City city = new City(admdvs, bureau, lead, co, node.admin().trustBundle(), ledger, nodes);
    node.admin().addProduct(new Product("scale-" + admdvs, admdvs, lead.code, LocalDate.now().minusMonths(1),
        LocalDate.now().plusMonths(11), List.of(new Product.Member(lead.code, 7000), new Product.Member(co.code, 3000))));
    TestEndpoint bureauEndpoint = new TestEndpoint(bureau, node);
    bureauEndpoint.onExchange(city.desk::answer);
    city.keep(bureauEndpoint.start());
    node.admin().setEndpoint(bureau.code, Optional.of(bureauEndpoint.address()));
    node.admin().setEndpoint(lead.code, Optional.of(city.leadEndpoint.address())); // the co-insurer has none: inbox only
    return city;
  }

  /** Once every node runs: the participants' channels, and the co-insurer's inbox streams. */
  void connect(NodePorts nodes, NodeCalls servedBy, DeliveryLedger ledger, ScheduledExecutorService scheduler)
      throws Exception {
    bureauChannels = keep(new NodeChannels(bureau, gatewayCa, nodes.both(), servedBy));
    leadChannels = keep(new NodeChannels(lead, gatewayCa, nodes.both(), servedBy));
    NodeChannels coChannels = keep(new NodeChannels(coInsurer, gatewayCa, nodes.both(), servedBy));
    keep(new InboxReader(coChannels, ledger, scheduler)).start(nodes);
  }

  private <T extends AutoCloseable> T keep(T resource) {
    resources.add(resource);
    return resource;
  }

  @Override
  public void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }
}
