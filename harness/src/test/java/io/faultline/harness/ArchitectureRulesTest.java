package io.faultline.harness;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import io.faultline.checkers.fixtures.UpwardDependency;
import io.faultline.harness.fixtures.BannedCalls;
import io.faultline.targets.node.Node;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.stream.BaseStream;
import java.util.stream.Collector;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The project's two architecture rules, read from the compiled classes (so a banned call hidden in
 * a lambda or a helper is still found, which a text search would miss), each proved both ways: it
 * passes the main code and it rejects a fixture that breaks it.
 *
 * <ul>
 *   <li><b>Determinism.</b> What runs on virtual time must run the same way twice from one seed:
 *       node code (the targets, but for the real binding), the simulator runtime, the nemesis's
 *       schedule and the workloads' generators read no clock, draw no unseeded random number, touch
 *       no thread and iterate no hash-ordered collection.
 *   <li><b>Layering.</b> Module dependencies point one way: checkers and targets and the nemesis
 *       depend on nothing of ours, workloads on checkers and the targets' client protocol, results on
 *       checkers, and only the harness on everything; nothing depends on the harness.
 * </ul>
 */
class ArchitectureRulesTest {
  /** Where the determinism rules apply: everything that runs inside a simulated run's one thread. */
  private static final String[] DETERMINISTIC = {"io.faultline.targets..", "io.faultline.harness.runtime.sim..",
      "io.faultline.nemesis..", "io.faultline.workloads.generator.."};
  /** Node code's real binding: a process with threads, sockets and the system clock. */
  private static final String REAL_BINDING = "io.faultline.targets.real..";

  /** What deterministic code must never do, by theme; each theme is one rule. */
  static final Map<String, List<ArchCondition<JavaClass>>> BANNED = banned();

  private static Map<String, List<ArchCondition<JavaClass>>> banned() {
    Map<String, List<ArchCondition<JavaClass>>> banned = new LinkedHashMap<>();
    banned.put("clocks", List.of(
        ArchConditions.callMethod(System.class, "currentTimeMillis"),
        ArchConditions.callMethod(System.class, "nanoTime"),
        ArchConditions.callMethodWhere(call("a java.time now() method",
            c -> c.getTargetOwner().getPackageName().equals("java.time") && c.getName().equals("now"))),
        ArchConditions.callMethodWhere(call("a Clock.system*() method",
            c -> c.getTargetOwner().isAssignableTo(Clock.class) && c.getName().startsWith("system")))));
    banned.put("unseeded randomness", List.of(
        ArchConditions.callMethod(Math.class, "random"),
        ArchConditions.callMethod(StrictMath.class, "random"),
        ArchConditions.callConstructor(Random.class),
        ArchConditions.callConstructor(SecureRandom.class),
        ArchConditions.callMethod(UUID.class, "randomUUID"),
        ArchConditions.dependOnClassesThat(JavaClass.Predicates.belongToAnyOf(ThreadLocalRandom.class))));
    banned.put("threads", List.of(
        ArchConditions.callConstructorWhere(DescribedPredicate.describe("a Thread constructor",
            c -> c.getTargetOwner().isAssignableTo(Thread.class))),
        ArchConditions.callMethodWhere(call("Thread.start() or Thread.sleep()",
            c -> c.getTargetOwner().isAssignableTo(Thread.class)
                && (c.getName().equals("start") || c.getName().equals("sleep")))),
        ArchConditions.dependOnClassesThat(JavaClass.Predicates.belongToAnyOf(Executors.class, ForkJoinPool.class,
            java.util.Timer.class)),
        ArchConditions.dependOnClassesThat(DescribedPredicate.describe("an Executor",
            (JavaClass c) -> c.isAssignableTo(Executor.class))),
        ArchConditions.callMethodWhere(call("a CompletableFuture *Async() method",
            c -> c.getTargetOwner().isAssignableTo(CompletableFuture.class) && c.getName().endsWith("Async"))),
        ArchConditions.callMethodWhere(call("a parallel stream",
            c -> c.getName().equals("parallelStream")
                || c.getTargetOwner().isAssignableTo(BaseStream.class) && c.getName().equals("parallel")))));
    banned.put("hash-ordered collections", List.of(
        ArchConditions.dependOnClassesThat(JavaClass.Predicates.belongToAnyOf(
            HashMap.class, HashSet.class, ConcurrentHashMap.class, Hashtable.class)),
        // These collectors build a HashMap or HashSet behind a Map or Set type.
        ArchConditions.callMethod(Collectors.class, "toSet"),
        ArchConditions.callMethod(Collectors.class, "toUnmodifiableSet"),
        ArchConditions.callMethod(Collectors.class, "toMap", Function.class, Function.class),
        ArchConditions.callMethod(Collectors.class, "toMap", Function.class, Function.class, BinaryOperator.class),
        ArchConditions.callMethod(Collectors.class, "toUnmodifiableMap", Function.class, Function.class),
        ArchConditions.callMethod(Collectors.class, "toUnmodifiableMap", Function.class, Function.class,
            BinaryOperator.class),
        ArchConditions.callMethod(Collectors.class, "groupingBy", Function.class),
        ArchConditions.callMethod(Collectors.class, "groupingBy", Function.class, Collector.class)));
    return banned;
  }

  private static DescribedPredicate<JavaMethodCall> call(String description,
      java.util.function.Predicate<JavaMethodCall> test) {
    return DescribedPredicate.describe(description, test);
  }

  /** The determinism rule of one theme, over the deterministic packages (the real binding excepted, unless asked). */
  static ArchRule determinism(String theme, boolean exceptRealBinding) {
    List<ArchCondition<JavaClass>> conditions = BANNED.get(theme);
    var selected = exceptRealBinding
        ? noClasses().that().resideInAnyPackage(DETERMINISTIC).and().resideOutsideOfPackage(REAL_BINDING)
        : noClasses().that().resideInAnyPackage(DETERMINISTIC);
    var rule = selected.should(conditions.get(0));
    for (ArchCondition<JavaClass> more : conditions.subList(1, conditions.size())) rule = rule.orShould(more);
    return rule.because("code on virtual time must run the same way twice from one seed (see " + Node.class.getName() + ")");
  }

  /** The modules, as layers; a layer may be used only by those above it. */
  static ArchRule layering() {
    return layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("checkers").definedBy("io.faultline.checkers..")
        .layer("targets").definedBy("io.faultline.targets..")
        .layer("nemesis").definedBy("io.faultline.nemesis..")
        .layer("workloads").definedBy("io.faultline.workloads..")
        .layer("results").definedBy("io.faultline.results..")
        .layer("harness").definedBy("io.faultline.harness..")
        .whereLayer("harness").mayNotBeAccessedByAnyLayer()
        .whereLayer("results").mayOnlyBeAccessedByLayers("harness")
        .whereLayer("workloads").mayOnlyBeAccessedByLayers("harness")
        .whereLayer("nemesis").mayOnlyBeAccessedByLayers("harness")
        .whereLayer("targets").mayOnlyBeAccessedByLayers("workloads", "harness")
        .whereLayer("checkers").mayOnlyBeAccessedByLayers("workloads", "results", "harness")
        .because("modules depend one way, and the node jar is deployed alone, without the harness");
  }

  /** Every module's main classes: from their build folders in a reactor build, from their jars otherwise. */
  private static JavaClasses mainClasses() {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.faultline");
  }

  private static List<String> violations(ArchRule rule, JavaClasses classes) {
    return rule.evaluate(classes).getFailureReport().getDetails();
  }

  @Test
  void mainCodeKeepsEveryDeterminismRule() {
    JavaClasses main = mainClasses();
    // Not vacuous: each deterministic package is there, and so is the real binding the rule exempts.
    for (String cls : List.of("io.faultline.targets.raft.RaftNode", "io.faultline.targets.sim.VirtualCluster",
        "io.faultline.harness.runtime.sim.SimRuntime", "io.faultline.nemesis.NemesisSchedule",
        "io.faultline.workloads.generator.Generators", "io.faultline.targets.real.NodeMain")) {
      assertTrue(main.contain(cls), cls + " not imported");
    }
    for (String theme : BANNED.keySet()) {
      assertEquals(List.of(), violations(determinism(theme, true), main), "rule '" + theme + "' on main code");
    }
  }

  @Test
  void everyDeterminismRuleRejectsItsBannedCallsAndPassesTheAllowedOnes() {
    JavaClasses fixture = new ClassFileImporter().importClasses(BannedCalls.class);
    List<String> all = new ArrayList<>();
    for (String theme : BANNED.keySet()) {
      // The fixture sits in the harness's test packages: a rule over everything is what judges it.
      var rule = noClasses().should(BANNED.get(theme).get(0));
      for (ArchCondition<JavaClass> more : BANNED.get(theme).subList(1, BANNED.get(theme).size())) rule = rule.orShould(more);
      List<String> found = violations(rule, fixture);
      assertFalse(found.isEmpty(), "rule '" + theme + "' found nothing in " + BannedCalls.class.getSimpleName());
      all.addAll(found);
    }
    List<String> banned = Arrays.stream(BannedCalls.class.getDeclaredMethods())
        .filter(m -> !m.isSynthetic() && Modifier.isStatic(m.getModifiers()))
        .map(Method::getName)
        .filter(name -> !name.equals("allowed"))
        .sorted()
        .toList();
    assertTrue(banned.size() >= 25, "the fixture lost methods: " + banned);
    List<String> missed = banned.stream()
        .filter(name -> all.stream().noneMatch(line -> line.contains(BannedCalls.class.getName() + "." + name + "(")))
        .toList();
    assertEquals(List.of(), missed, "banned calls the rules did not report; all reports:\n" + String.join("\n", all));
    assertTrue(all.stream().noneMatch(line -> line.contains(BannedCalls.class.getName() + ".allowed(")),
        "seeded Random and ArrayList are allowed, but were reported:\n" + String.join("\n", all));
  }

  @Test
  void theRealBindingIsExemptAndNeedsToBe() {
    JavaClasses main = mainClasses();
    // Without the exemption the clock and thread rules fire on the real binding: proof that the
    // exemption is what lets main code pass, not a rule that matches nothing.
    assertFalse(violations(determinism("clocks", false), main).isEmpty());
    assertFalse(violations(determinism("threads", false), main).isEmpty());
  }

  @Test
  void modulesDependOneWay() {
    assertEquals(List.of(), violations(layering(), mainClasses()));
  }

  @Test
  void theLayeringRuleRejectsACheckerThatReachesIntoTheHarness() {
    JavaClasses classes = new ClassFileImporter().importClasses(UpwardDependency.class,
        io.faultline.harness.run.TestSpec.class);
    List<String> found = violations(layering(), classes);
    assertTrue(found.stream().anyMatch(l -> l.contains(UpwardDependency.class.getName())), String.join("\n", found));
  }
}
