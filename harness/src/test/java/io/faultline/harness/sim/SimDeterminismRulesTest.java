package io.faultline.harness.sim;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The simulator is held to the nodes' rule: no clock but {@link Stopwatch} (whose readings only
 * people see), no unseeded randomness, no hash-ordered collection, and threads only in {@link
 * Sweep}, which runs whole seeds side by side. Proved on the main classes and on a class that
 * breaks each part of it.
 */
class SimDeterminismRulesTest {
  private static final String SIM = "io.faultline.harness.sim";

  private static ArchRule clocksAndRandomness() {
    return noClasses().that().resideInAPackage(SIM).and().doNotHaveSimpleName("Stopwatch")
        .should(ArchConditions.callMethod(System.class, "currentTimeMillis"))
        .orShould(ArchConditions.callMethod(System.class, "nanoTime"))
        .orShould(ArchConditions.callMethodWhere(DescribedPredicate.describe("a java.time now() method",
            c -> c.getTargetOwner().getPackageName().equals("java.time") && c.getName().equals("now"))))
        .orShould(ArchConditions.callMethod(Math.class, "random"))
        .orShould(ArchConditions.callConstructor(Random.class))
        .orShould(ArchConditions.dependOnClassesThat(JavaClass.Predicates.belongToAnyOf(ThreadLocalRandom.class)))
        .because("the same seed must give the same history");
  }

  private static ArchRule hashOrder() {
    return noClasses().that().resideInAPackage(SIM)
        .should(ArchConditions.dependOnClassesThat(JavaClass.Predicates.belongToAnyOf(HashMap.class, HashSet.class)))
        .because("iteration order that depends on hash codes can differ between runs");
  }

  private static ArchRule threads() {
    return noClasses().that().resideInAPackage(SIM).and().doNotHaveSimpleName("Sweep")
        .should(ArchConditions.callConstructorWhere(DescribedPredicate.describe("a Thread constructor",
            c -> c.getTargetOwner().isAssignableTo(Thread.class))))
        .orShould(ArchConditions.dependOnClassesThat(DescribedPredicate.describe("java.util.concurrent",
            (JavaClass c) -> c.getPackageName().startsWith("java.util.concurrent"))))
        .because("a simulation runs on one thread");
  }

  private static JavaClasses main() {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages(SIM);
  }

  @Test
  void theSimulatorKeepsTheRule() {
    JavaClasses classes = main();
    assertTrue(classes.size() > 10, "the simulator's classes were not found");
    clocksAndRandomness().check(classes);
    hashOrder().check(classes);
    threads().check(classes);
  }

  /** Everything the rule bans, once each. Never run. */
  static final class Offender {
    long clock() {
      return System.currentTimeMillis() + System.nanoTime() + Instant.now().getNano();
    }

    double dice() {
      return Math.random() + new Random().nextInt() + ThreadLocalRandom.current().nextInt();
    }

    Map<String, Set<String>> hashed() {
      Map<String, Set<String>> m = new HashMap<>();
      m.put("a", new HashSet<>());
      return m;
    }

    void spawn() {
      new Thread(() -> {}).start();
      java.util.concurrent.Executors.newSingleThreadExecutor().shutdown();
    }
  }

  @Test
  void theRuleRejectsEachBannedCall() {
    JavaClasses offender = new ClassFileImporter().importClasses(Offender.class);
    EvaluationResult clocks = clocksAndRandomness().evaluate(offender);
    assertTrue(clocks.hasViolation());
    String report = String.join("\n", clocks.getFailureReport().getDetails());
    for (String banned : new String[] {"currentTimeMillis", "nanoTime", "Instant.now", "Math.random",
        "Random.<init>()", "ThreadLocalRandom"}) {
      assertTrue(report.contains(banned), banned + " not reported in:\n" + report);
    }
    assertTrue(hashOrder().evaluate(offender).hasViolation());
    assertTrue(threads().evaluate(offender).hasViolation());
    // Seeded randomness and ordered collections pass.
    assertFalse(clocksAndRandomness().evaluate(new ClassFileImporter().importClasses(Seeds.class)).hasViolation());
  }
}
