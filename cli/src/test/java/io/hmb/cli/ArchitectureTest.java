package io.hmb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of ARCHITECTURE.md, checked on the main classes of every module (the cli
 * module's tests see them all). Dependencies point one way: proto, then security, then adapters /
 * client / gateway, then conformance, agent and bench, then cli.
 */
class ArchitectureTest {
  static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.hmb");
  }

  @Test
  void theGatewayIsTheServerOnly() {
    noClasses().that().resideInAPackage("io.hmb.gateway..")
        .should().dependOnClassesThat().resideInAnyPackage("picocli..", "io.hmb.adapters..", "io.hmb.conformance..",
            "io.hmb.client..", "io.hmb.bench..", "io.hmb.cli..")
        .because("the gateway brokers sealed messages: operator commands live in cli, money rules in adapters")
        .check(main);
  }

  @Test
  void participantsCodeKnowsNothingOfTheGatewaysInsides() {
    noClasses().that().resideInAnyPackage("io.hmb.client..", "io.hmb.conformance..")
        .should().dependOnClassesThat().resideInAPackage("io.hmb.gateway..")
        .because("integrators build on the public contract (proto) and the SDK, never on the server")
        .check(main);
  }

  @Test
  void theAgentIsAParticipantOnTheSdk() {
    noClasses().that().resideInAPackage("io.hmb.agent..")
        .should().dependOnClassesThat().resideInAnyPackage("io.hmb.gateway..", "io.hmb.conformance..", "io.hmb.bench..",
            "io.hmb.cli..", "picocli..")
        .because("the agent runs at a participant's site: proto, security, client and adapters only; its command is cli's")
        .check(main);
    noClasses().that().resideOutsideOfPackages("io.hmb.agent..", "io.hmb.cli..")
        .should().dependOnClassesThat().resideInAPackage("io.hmb.agent..")
        .because("nothing but the command line depends on the agent")
        .check(main);
  }

  @Test
  void onlySecurityTouchesBouncyCastle() {
    noClasses().that().resideOutsideOfPackage("io.hmb.security..")
        .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..")
        .because("cryptography lives in one module, behind misuse-resistant primitives")
        .check(main);
  }

  @Test
  void commandLineParsingStaysOutOfTheLibraries() {
    noClasses().that().resideInAnyPackage("io.hmb.api..", "io.hmb.security..", "io.hmb.adapters..", "io.hmb.client..",
            "io.hmb.gateway..")
        .should().dependOnClassesThat().resideInAPackage("picocli..")
        .check(main);
  }

  @Test
  void lowerModulesDoNotReachUp() {
    noClasses().that().resideInAPackage("io.hmb.api..")
        .should().dependOnClassesThat().resideInAnyPackage("io.hmb.security..", "io.hmb.adapters..", "io.hmb.client..",
            "io.hmb.gateway..", "io.hmb.conformance..", "io.hmb.bench..", "io.hmb.agent..", "io.hmb.cli..")
        .check(main);
    noClasses().that().resideInAPackage("io.hmb.security..")
        .should().dependOnClassesThat().resideInAnyPackage("io.hmb.adapters..", "io.hmb.client..", "io.hmb.gateway..",
            "io.hmb.conformance..", "io.hmb.bench..", "io.hmb.cli..")
        .check(main);
    noClasses().that().resideInAnyPackage("io.hmb.adapters..", "io.hmb.client..")
        .should().dependOnClassesThat().resideInAnyPackage("io.hmb.gateway..", "io.hmb.conformance..", "io.hmb.bench..",
            "io.hmb.cli..")
        .check(main);
    noClasses().that().resideInAnyPackage("io.hmb.conformance..", "io.hmb.bench..")
        .should().dependOnClassesThat().resideInAPackage("io.hmb.cli..")
        .check(main);
  }

  @Test
  void theAuditTrailDependsOnNothingAboveIt() {
    noClasses().that().resideInAPackage("io.hmb.gateway.audit..")
        .should().dependOnClassesThat().resideInAnyPackage("io.hmb.gateway.store..", "io.hmb.gateway.delivery..",
            "io.hmb.gateway.pipeline..")
        .because("the store and the delivery queue write audit events in their own transactions (they call audit)")
        .check(main);
  }

  @Test
  void theGatewaysPackagesHaveNoCycles() {
    slices().matching("io.hmb.gateway.(*)..").should().beFreeOfCycles().check(main);
  }

  @Test
  void everyModuleIsImported() {
    // Guards the rules above against a classpath that silently lacks a module (a rule over nothing passes).
    for (String pkg : new String[] {"io.hmb.api", "io.hmb.security", "io.hmb.adapters", "io.hmb.client",
        "io.hmb.gateway", "io.hmb.conformance", "io.hmb.agent", "io.hmb.bench", "io.hmb.cli"}) {
      assertThat(main.stream().filter(c -> c.getPackageName().startsWith(pkg)).count()).as(pkg).isGreaterThan(3);
    }
  }
}
