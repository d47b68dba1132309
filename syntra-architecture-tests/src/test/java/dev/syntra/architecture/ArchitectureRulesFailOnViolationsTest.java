package dev.syntra.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.syntra.agent.archfixture.AgentUsesDocker;
import dev.syntra.agent.archfixture.AgentUsesTelemetry;
import dev.syntra.ai.archfixture.AiUsesAgentCore;
import dev.syntra.ai.archfixture.AiUsesTelemetry;
import dev.syntra.ai.archfixture.AiUsesTelemetryInternals;
import dev.syntra.archfixture.Stray;
import dev.syntra.protocol.archfixture.ProtocolUsesItself;
import dev.syntra.protocol.archfixture.ProtocolUsesServer;
import dev.syntra.runtime.docker.archfixture.DockerUsesK8s;
import dev.syntra.runtime.docker.archfixture.DockerUsesProtocol;
import dev.syntra.runtime.k8s.archfixture.K8sUsesAgentCore;
import dev.syntra.runtime.k8s.archfixture.K8sUsesProtocol;
import dev.syntra.sdk.archfixture.SdkUsesOnlyTheJdk;
import dev.syntra.sdk.archfixture.SdkUsesProtocol;
import dev.syntra.server.archfixture.ServerUsesAgentCore;
import dev.syntra.server.archfixture.ServerUsesAi;
import dev.syntra.server.archfixture.ServerUsesSpring;
import dev.syntra.server.archfixture.layers.crypto.CryptoThing;
import dev.syntra.server.archfixture.layers.crypto.CryptoUsesDeploy;
import dev.syntra.server.archfixture.layers.deploy.DeployThing;
import dev.syntra.server.archfixture.layers.deploy.DeployUsesCrypto;
import dev.syntra.server.archfixture.layers.stray.StrayThing;
import dev.syntra.telemetry.archfixture.TelemetryUsesAi;
import dev.syntra.telemetry.archfixture.TelemetryUsesOwnInternals;
import dev.syntra.telemetry.archfixture.TelemetryUsesProtocol;
import dev.syntra.telemetry.archfixture.TelemetryUsesSpring;
import dev.syntra.telemetry.archfixture.acyclic.lower.Lower;
import dev.syntra.telemetry.archfixture.acyclic.upper.Upper;
import dev.syntra.telemetry.archfixture.cycle.left.Left;
import dev.syntra.telemetry.archfixture.cycle.right.Right;
import dev.syntra.telemetry.archfixture.internal.NestedHidden;
import dev.syntra.telemetry.internal.archfixture.Hidden;
import org.junit.jupiter.api.Test;

/**
 * Each rule fails on a fixture that breaks it, naming the culprit, and passes on a fixture that
 * keeps it, so a green {@link ArchitectureTest} means something.
 */
class ArchitectureRulesFailOnViolationsTest {
  /** Fixture packages posing as the server's ({@code crypto}, {@code deploy}, a stray one). */
  private static final String FIXTURE_SERVER = "dev.syntra.server.archfixture.layers";

  @Test
  void protocolMayNotUseAnotherModule() {
    ArchRule rule = SyntraArchitectureRules.usesOnlyItsAllowedModules(SyntraModule.PROTOCOL);

    assertFails(rule, classes(ProtocolUsesServer.class), ProtocolUsesServer.class);
    assertPasses(rule, classes(ProtocolUsesItself.class));
  }

  @Test
  void telemetryMayUseOnlyProtocol() {
    ArchRule rule = SyntraArchitectureRules.usesOnlyItsAllowedModules(SyntraModule.TELEMETRY);

    assertFails(rule, classes(TelemetryUsesAi.class), TelemetryUsesAi.class);
    assertPasses(rule, classes(TelemetryUsesProtocol.class));
  }

  @Test
  void aiMayUseOnlyProtocolAndTelemetry() {
    ArchRule rule = SyntraArchitectureRules.usesOnlyItsAllowedModules(SyntraModule.AI);

    assertFails(rule, classes(AiUsesAgentCore.class), AiUsesAgentCore.class);
    assertPasses(rule, classes(AiUsesTelemetry.class));
  }

  @Test
  void dockerRuntimeMayNotUseTheK8sRuntime() {
    ArchRule rule = SyntraArchitectureRules.usesOnlyItsAllowedModules(SyntraModule.RUNTIME_DOCKER);

    assertFails(rule, classes(DockerUsesK8s.class), DockerUsesK8s.class);
    assertPasses(rule, classes(DockerUsesProtocol.class));
  }

  @Test
  void k8sRuntimeMayNotUseAgentCore() {
    ArchRule rule = SyntraArchitectureRules.usesOnlyItsAllowedModules(SyntraModule.RUNTIME_K8S);

    assertFails(rule, classes(K8sUsesAgentCore.class), K8sUsesAgentCore.class);
    assertPasses(rule, classes(K8sUsesProtocol.class));
  }

  @Test
  void agentCoreMayNotUseARuntimeAdapter() {
    ArchRule rule = SyntraArchitectureRules.usesOnlyItsAllowedModules(SyntraModule.AGENT_CORE);

    assertFails(rule, classes(AgentUsesDocker.class), AgentUsesDocker.class);
    assertPasses(rule, classes(AgentUsesTelemetry.class));
  }

  @Test
  void sdkMayNotUseAnySyntraModule() {
    ArchRule rule = SyntraArchitectureRules.usesOnlyItsAllowedModules(SyntraModule.SDK);

    assertFails(rule, classes(SdkUsesProtocol.class), SdkUsesProtocol.class);
    assertPasses(rule, classes(SdkUsesOnlyTheJdk.class));
  }

  @Test
  void serverMayUseOnlyProtocolTelemetryAndAi() {
    ArchRule rule = SyntraArchitectureRules.usesOnlyItsAllowedModules(SyntraModule.SERVER);

    assertFails(rule, classes(ServerUsesAgentCore.class), ServerUsesAgentCore.class);
    assertPasses(rule, classes(ServerUsesAi.class));
  }

  @Test
  void libraryMayNotUseTheServer() {
    ArchRule rule = SyntraArchitectureRules.NO_LIBRARY_USES_SERVER;

    assertFails(rule, classes(ProtocolUsesServer.class), ProtocolUsesServer.class);
    assertPasses(rule, classes(TelemetryUsesProtocol.class, ServerUsesAi.class));
  }

  @Test
  void springMayBeUsedOnlyInTheServer() {
    ArchRule rule = SyntraArchitectureRules.SPRING_ONLY_IN_SERVER;

    assertFails(rule, classes(TelemetryUsesSpring.class), TelemetryUsesSpring.class);
    assertPasses(rule, classes(ServerUsesSpring.class, TelemetryUsesProtocol.class));
  }

  @Test
  void moduleMayNotUseAnotherModulesInternalPackagesAtAnyDepth() {
    ArchRule rule = SyntraArchitectureRules.NO_FOREIGN_INTERNALS;

    assertFails(
        rule,
        classes(AiUsesTelemetryInternals.class),
        AiUsesTelemetryInternals.class,
        Hidden.class,
        NestedHidden.class);
    assertPasses(rule, classes(TelemetryUsesOwnInternals.class, ServerUsesAi.class));
  }

  @Test
  void siblingPackagesMayNotFormACycle() {
    ArchRule rule = SyntraArchitectureRules.NO_PACKAGE_CYCLES;

    assertFails(rule, classes(Left.class, Right.class), Left.class, Right.class);
    assertPasses(rule, classes(Upper.class, Lower.class));
  }

  @Test
  void packageWithoutNullMarkedPackageInfoIsFlagged() {
    ArchRule rule = SyntraArchitectureRules.EVERY_PACKAGE_NULL_MARKED;
    String unmarked = "dev.syntra.sdk.archfixture.unmarked";

    EvaluationResult result = rule.evaluate(classesInPackage(unmarked));

    assertThat(result.hasViolation()).isTrue();
    assertThat(report(result)).contains("<" + unmarked + ">");
    assertPasses(rule, classesInPackage("dev.syntra.protocol.archfixture"));
  }

  @Test
  void classOutsideEveryModulesBasePackageIsFlagged() {
    ArchRule rule = SyntraArchitectureRules.EVERY_CLASS_IN_A_KNOWN_MODULE;

    assertFails(rule, classes(Stray.class), Stray.class);
    assertPasses(rule, classes(ProtocolUsesItself.class, ServerUsesAi.class));
  }

  @Test
  void serverPackageMayNotUseAHigherLayer() {
    ArchRule rule = ServerLayers.layered(FIXTURE_SERVER);

    assertFails(rule, classes(CryptoUsesDeploy.class, DeployThing.class), CryptoUsesDeploy.class);
    assertPasses(rule, classes(DeployUsesCrypto.class, CryptoThing.class));
  }

  @Test
  void serverPackageOutsideEveryLayerIsFlagged() {
    ArchRule rule = ServerLayers.everyPackageInALayer(FIXTURE_SERVER);

    assertFails(rule, classes(StrayThing.class, CryptoThing.class), StrayThing.class);
    assertPasses(rule, classes(DeployUsesCrypto.class, CryptoThing.class));
  }

  private static JavaClasses classes(Class<?>... classes) {
    return new ClassFileImporter().importClasses(classes);
  }

  /** The classes of exactly one package, its package-info included, without its subpackages. */
  private static JavaClasses classesInPackage(String packageName) {
    return new ClassFileImporter()
        .importPackages(packageName)
        .that(resideInAnyPackage(packageName));
  }

  private static void assertFails(ArchRule rule, JavaClasses classes, Class<?>... culprits) {
    EvaluationResult result = rule.evaluate(classes);

    assertThat(result.hasViolation()).as("'%s' fails", rule.getDescription()).isTrue();
    for (Class<?> culprit : culprits) {
      assertThat(report(result)).contains(culprit.getName());
    }
  }

  private static void assertPasses(ArchRule rule, JavaClasses classes) {
    EvaluationResult result = rule.evaluate(classes);

    assertThat(result.hasViolation()).as(report(result)).isFalse();
  }

  private static String report(EvaluationResult result) {
    return String.join("\n", result.getFailureReport().getDetails());
  }
}
