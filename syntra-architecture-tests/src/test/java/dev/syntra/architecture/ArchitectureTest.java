package dev.syntra.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.syntra.protocol.ProtocolVersion;
import dev.syntra.protocol.archfixture.ProtocolUsesServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Checks the production classes of every Syntra module on the test classpath. */
class ArchitectureTest {
  private static final JavaClasses PRODUCTION =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.syntra");

  @Test
  void importsProductionClassesButNotTheTestFixturesOnTheClasspath() {
    JavaClasses everything = new ClassFileImporter().importPackages("dev.syntra");

    assertThat(everything.contain(ProtocolUsesServer.class)).isTrue();
    assertThat(PRODUCTION.contain(ProtocolVersion.class)).isTrue();
    assertThat(PRODUCTION.stream().map(JavaClass::getPackageName))
        .noneMatch(
            name -> name.contains(".archfixture") || name.startsWith("dev.syntra.architecture"));
  }

  @ParameterizedTest(name = "{0} uses only the Syntra modules it may depend on")
  @EnumSource(SyntraModule.class)
  void moduleUsesOnlyTheSyntraModulesItMayDependOn(SyntraModule module) {
    // A module without classes on this classpath yet passes vacuously (see this module's pom).
    SyntraArchitectureRules.usesOnlyItsAllowedModules(module)
        .allowEmptyShould(true)
        .check(PRODUCTION);
  }

  @Test
  void noLibraryUsesTheServer() {
    SyntraArchitectureRules.NO_LIBRARY_USES_SERVER.check(PRODUCTION);
  }

  @Test
  void springStaysInsideTheServer() {
    SyntraArchitectureRules.SPRING_ONLY_IN_SERVER.check(PRODUCTION);
  }

  @Test
  void noModuleUsesAnotherModulesInternals() {
    SyntraArchitectureRules.NO_FOREIGN_INTERNALS.check(PRODUCTION);
  }

  @Test
  void packagesAreFreeOfCycles() {
    SyntraArchitectureRules.NO_PACKAGE_CYCLES.check(PRODUCTION);
  }

  @Test
  void everyPackageIsNullMarked() {
    SyntraArchitectureRules.EVERY_PACKAGE_NULL_MARKED.check(PRODUCTION);
  }

  @Test
  void everyClassBelongsToAKnownModule() {
    SyntraArchitectureRules.EVERY_CLASS_IN_A_KNOWN_MODULE.check(PRODUCTION);
  }

  @Test
  void serverPackagesFormLayers() {
    ServerLayers.layered("dev.syntra.server").check(PRODUCTION);
  }

  @Test
  void everyServerPackageIsInALayer() {
    ServerLayers.everyPackageInALayer("dev.syntra.server").check(PRODUCTION);
  }
}
