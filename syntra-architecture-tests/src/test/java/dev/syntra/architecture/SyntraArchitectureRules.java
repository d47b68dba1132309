package dev.syntra.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.all;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static java.util.stream.Collectors.joining;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaPackage;
import com.tngtech.archunit.lang.AbstractClassesTransformer;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceRule;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.NullMarked;

/**
 * The architecture rules of STYLE.md sections 1, 2 and 7, as ArchUnit rules over any set of
 * imported classes. Rules fail when they match no class; callers that check modules which may not
 * have classes yet relax that with {@link ArchRule#allowEmptyShould(boolean)}.
 */
final class SyntraArchitectureRules {
  private static final String OUR_PACKAGES = "dev.syntra..";

  /** No library depends on the Spring Boot application. */
  static final ArchRule NO_LIBRARY_USES_SERVER =
      noClasses()
          .that()
          .resideInAPackage(OUR_PACKAGES)
          .and()
          .resideOutsideOfPackage(SyntraModule.SERVER.packagePattern())
          .should()
          .dependOnClassesThat()
          .resideInAPackage(SyntraModule.SERVER.packagePattern())
          .as("no library should use syntra-server");

  /** Spring lives only in the server. */
  static final ArchRule SPRING_ONLY_IN_SERVER =
      noClasses()
          .that()
          .resideInAPackage(OUR_PACKAGES)
          .and()
          .resideOutsideOfPackage(SyntraModule.SERVER.packagePattern())
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.springframework..")
          .as("no Syntra class outside syntra-server should use Spring");

  /** A module's {@code .internal} packages (at any depth) are off limits to every other module. */
  static final ArchRule NO_FOREIGN_INTERNALS =
      classes().that().resideInAPackage(OUR_PACKAGES).should(notUseAnotherModulesInternals());

  /**
   * Every package is its own slice, so a cycle between two sibling packages of one module is found
   * as well as a cycle between modules.
   */
  static final SliceRule NO_PACKAGE_CYCLES =
      slices()
          .matching("dev.syntra.(**)")
          .should()
          .beFreeOfCycles()
          .as("Syntra packages should be free of cycles");

  /** Every package has a package-info.java annotated {@code @NullMarked} (STYLE.md section 7). */
  static final ArchRule EVERY_PACKAGE_NULL_MARKED = all(ourPackages()).should(beNullMarked());

  /** Catches a new module whose base package is missing from {@link SyntraModule}. */
  static final ArchRule EVERY_CLASS_IN_A_KNOWN_MODULE =
      classes()
          .that()
          .resideInAPackage(OUR_PACKAGES)
          .should()
          .resideInAnyPackage(
              Arrays.stream(SyntraModule.values())
                  .map(SyntraModule::packagePattern)
                  .toArray(String[]::new))
          .as("every Syntra class should reside in the base package of a module in SyntraModule");

  private SyntraArchitectureRules() {}

  /**
   * The classes of {@code module} use no Syntra classes but their own and those of the modules it
   * may use; classes outside {@code dev.syntra} are not restricted by this rule.
   */
  static ArchRule usesOnlyItsAllowedModules(SyntraModule module) {
    String[] allowed =
        Stream.concat(Stream.of(module), module.mayUse().stream())
            .map(SyntraModule::packagePattern)
            .toArray(String[]::new);
    String description =
        module.mayUse().isEmpty()
            ? module + " should use no other Syntra module"
            : module
                + " should use no Syntra module but "
                + module.mayUse().stream().map(SyntraModule::artifactId).collect(joining(", "));
    return classes()
        .that()
        .resideInAPackage(module.packagePattern())
        .should()
        .onlyDependOnClassesThat(
            resideOutsideOfPackage(OUR_PACKAGES).or(resideInAnyPackage(allowed)))
        .as(description);
  }

  private static ArchCondition<JavaClass> notUseAnotherModulesInternals() {
    return new ArchCondition<>("not use another module's .internal packages") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        Optional<SyntraModule> own = SyntraModule.owning(origin.getPackageName());
        for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
          String target = dependency.getTargetClass().getPackageName();
          SyntraModule.owning(target)
              .filter(owner -> !own.equals(Optional.of(owner)) && owner.isInternal(target))
              .ifPresent(owner ->
                  events.add(
                      SimpleConditionEvent.violated(
                          dependency, dependency.getDescription() + ", internal to " + owner)));
        }
      }
    };
  }

  private static AbstractClassesTransformer<JavaPackage> ourPackages() {
    return new AbstractClassesTransformer<>("Syntra packages") {
      @Override
      public Iterable<JavaPackage> doTransform(JavaClasses classes) {
        TreeSet<JavaPackage> packages = new TreeSet<>(Comparator.comparing(JavaPackage::getName));
        classes.stream()
            .filter(javaClass -> javaClass.getPackageName().startsWith("dev.syntra."))
            .map(JavaClass::getPackage)
            .forEach(packages::add);
        return packages;
      }
    };
  }

  private static ArchCondition<JavaPackage> beNullMarked() {
    return new ArchCondition<>("have a package-info.java annotated @NullMarked") {
      @Override
      public void check(JavaPackage javaPackage, ConditionEvents events) {
        boolean nullMarked = javaPackage.isAnnotatedWith(NullMarked.class);
        String message =
            "Package <"
                + javaPackage.getName()
                + (nullMarked ? "> is" : "> is not")
                + " annotated @NullMarked in its package-info.java";
        events.add(new SimpleConditionEvent(javaPackage, nullMarked, message));
      }
    };
  }
}
