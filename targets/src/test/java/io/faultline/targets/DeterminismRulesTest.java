package io.faultline.targets;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
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
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import io.faultline.targets.fixtures.BannedCalls;
import io.faultline.targets.fixtures.DurableRegisterNodeFactory;
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
 * The determinism rule: node code, meaning every class under {@code io.faultline.targets} except
 * the real binding ({@code io.faultline.targets.real}), reads no clock, draws no unseeded random
 * number, touches no thread, and iterates no hash-ordered collection. Those are what would make
 * a simulated run differ from its rerun with the same seed.
 *
 * <p>Each rule is proved both ways: it reports every banned call in {@link BannedCalls}, it passes
 * the allowed code beside them, and it passes the module's main code.
 */
class DeterminismRulesTest {
  private static final String TARGETS = "io.faultline.targets..";
  private static final String REAL_BINDING = "io.faultline.targets.real..";

  /** What node code must never do, by theme; each theme is one rule. */
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

  private static DescribedPredicate<JavaMethodCall> call(
      String description, java.util.function.Predicate<JavaMethodCall> test) {
    return DescribedPredicate.describe(description, test);
  }

  /** The rule as the build applies it: node code, the real binding excepted. */
  static ArchRule rule(String theme) {
    return rule(theme, true);
  }

  private static ArchRule rule(String theme, boolean exceptRealBinding) {
    List<ArchCondition<JavaClass>> conditions = BANNED.get(theme);
    var selected = exceptRealBinding
        ? noClasses().that().resideInAPackage(TARGETS).and().resideOutsideOfPackage(REAL_BINDING)
        : noClasses().that().resideInAPackage(TARGETS);
    var rule = selected.should(conditions.get(0));
    for (ArchCondition<JavaClass> more : conditions.subList(1, conditions.size())) rule = rule.orShould(more);
    return rule.because("node code must run the same way twice from one seed (see " + Node.class.getName() + ")");
  }

  private static JavaClasses mainClasses() {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages("io.faultline.targets");
  }

  private static JavaClasses fixtureClasses(Class<?>... classes) {
    return new ClassFileImporter().importClasses(classes);
  }

  private static List<String> violations(String theme, JavaClasses classes) {
    EvaluationResult result = rule(theme).evaluate(classes);
    return result.getFailureReport().getDetails();
  }

  @Test
  void mainNodeCodeBreaksNoRule() {
    JavaClasses main = mainClasses();
    // Not vacuous: the node seam is there, and so is the real binding that the rule exempts.
    assertTrue(main.contain(Node.class), "node seam not imported");
    assertTrue(main.contain("io.faultline.targets.real.NodeMain"), "real binding not imported");
    for (String theme : BANNED.keySet()) {
      assertEquals(List.of(), violations(theme, main), "rule '" + theme + "' on main code");
    }
  }

  @Test
  void everyRuleRejectsItsBannedCallsInTheFixture() {
    JavaClasses fixture = fixtureClasses(BannedCalls.class);
    List<String> all = new ArrayList<>();
    for (String theme : BANNED.keySet()) {
      List<String> found = violations(theme, fixture);
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
  void aNodeThatFollowsTheRulesPasses() {
    JavaClasses protocol = new ClassFileImporter().importPackagesOf(DurableRegisterNodeFactory.class);
    JavaClasses withoutBannedCalls = new ClassFileImporter().importClasses(
        protocol.stream().filter(c -> !c.getName().startsWith(BannedCalls.class.getName()))
            .map(JavaClass::reflect).toArray(Class<?>[]::new));
    assertTrue(withoutBannedCalls.contain(DurableRegisterNodeFactory.class));
    for (String theme : BANNED.keySet()) {
      assertEquals(List.of(), violations(theme, withoutBannedCalls), "rule '" + theme + "' on the test protocol");
    }
  }

  @Test
  void theRealBindingIsExemptAndNeedsToBe() {
    JavaClasses main = mainClasses();
    // Without the exemption the clock and thread rules fire on the real binding: proof that the
    // exemption is what lets main code pass, not a rule that matches nothing.
    assertFalse(rule("clocks", false).evaluate(main).getFailureReport().isEmpty());
    assertFalse(rule("threads", false).evaluate(main).getFailureReport().isEmpty());
  }
}
