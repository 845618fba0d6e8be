package io.faultline.workloads.register;

import io.faultline.checkers.Checker;
import io.faultline.checkers.linear.LinearizabilityChecker;
import io.faultline.checkers.model.Model;
import io.faultline.checkers.model.Models;
import io.faultline.checkers.model.Semantics;
import io.faultline.workloads.Workload;
import io.faultline.workloads.generator.Generator;
import io.faultline.workloads.generator.Generators;
import io.faultline.workloads.generator.Template;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads, writes and compare-and-sets on a few independent keys, in equal parts.
 *
 * <p>Values are drawn from {@code 0 .. values-1}: a small range, so that a compare-and-set's
 * expected value often matches and succeeds. A key never written reads as null; the model starts
 * every key empty (null) and, under Faultline's semantics, a null read means "holds nothing", so
 * reading null after a write is caught rather than waved through as Knossos's wildcard would.
 */
public final class RegisterWorkload implements Workload {
  private final List<String> keys;
  private final int values;

  /**
   * @param keys the keys, in a fixed order
   * @param values how many distinct values are written, at least 1
   */
  public RegisterWorkload(List<String> keys, int values) {
    if (keys.isEmpty()) throw new IllegalArgumentException("the register workload needs at least one key");
    if (values < 1) throw new IllegalArgumentException("values must be at least 1, got " + values);
    this.keys = List.copyOf(keys);
    this.values = values;
  }

  /** The standard form, {@link #standard()}: how the workload registry makes it. */
  public RegisterWorkload() {
    this(List.of("k1", "k2", "k3"), 5);
  }

  /** Three keys, {@code k1} to {@code k3}, values 0 to 4. */
  public static RegisterWorkload standard() {
    return new RegisterWorkload(List.of("k1", "k2", "k3"), 5);
  }

  public List<String> keys() {
    return keys;
  }

  @Override
  public String name() {
    return "register";
  }

  @Override
  public Generator generator() {
    Generator perKey = Generators.mix(List.of(
        Generators.repeat(r -> new Template("read", null, null)),
        Generators.repeat(r -> new Template("write", null, (long) r.nextInt(values))),
        Generators.repeat(r -> new Template("cas", null, List.of((long) r.nextInt(values), (long) r.nextInt(values))))));
    return Generators.independent(keys, k -> perKey);
  }

  /**
   * One read per key, in key order, from any node: the register is linearizable, so one read
   * speaks for every node.
   */
  @Override
  public Generator finalGenerator(List<String> nodes) {
    List<Template> reads = new ArrayList<>();
    for (String k : keys) reads.add(new Template("read", k, null));
    return Generators.each(reads);
  }

  /** Linearizability per key against a compare-and-set register that starts empty. */
  @Override
  public Checker checker() {
    Model model = Models.create("cas-register", null, Semantics.FAULTLINE);
    return new LinearizabilityChecker(model, Semantics.FAULTLINE);
  }
}
