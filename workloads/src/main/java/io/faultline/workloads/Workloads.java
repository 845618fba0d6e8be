package io.faultline.workloads;

import io.faultline.workloads.register.RegisterWorkload;
import io.faultline.workloads.set.SetWorkload;
import java.util.List;

/** The workloads by the name a command line gives ({@code --workload NAME}), in their standard form. */
public final class Workloads {
  private static final List<String> NAMES = List.of("register", "set");

  private Workloads() {}

  /** The known names, in a fixed order. */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * A fresh workload called {@code name}, such as {@link RegisterWorkload#standard()}.
   *
   * @throws IllegalArgumentException with a one-line message naming the known workloads
   */
  public static Workload named(String name) {
    return switch (String.valueOf(name)) {
      case "register" -> RegisterWorkload.standard();
      case "set" -> SetWorkload.standard();
      default -> throw new IllegalArgumentException(
          "unknown workload '" + name + "'; expected one of: " + String.join(", ", NAMES));
    };
  }
}
