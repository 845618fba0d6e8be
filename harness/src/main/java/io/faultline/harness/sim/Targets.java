package io.faultline.harness.sim;

import io.faultline.targets.node.NodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/** The bundled protocols, found by name as {@link ServiceLoader} services of {@link NodeFactory}. */
public final class Targets {
  private Targets() {}

  /** Every protocol name on the class path, sorted. */
  public static List<String> names() {
    TreeSet<String> names = new TreeSet<>();
    for (NodeFactory p : ServiceLoader.load(NodeFactory.class)) names.add(p.name());
    return new ArrayList<>(names);
  }

  /**
   * A fresh instance of the protocol called {@code name}.
   *
   * @throws IllegalArgumentException naming the valid targets when there is none by that name
   */
  public static NodeFactory find(String name) {
    for (NodeFactory p : ServiceLoader.load(NodeFactory.class)) if (p.name().equals(name)) return p;
    List<String> known = names();
    throw new IllegalArgumentException("unknown target '" + name + "'; expected "
        + (known.isEmpty() ? "a bundled target, but none is on the class path" : "one of: " + String.join(", ", known)));
  }

  /**
   * Checks that {@code protocol} knows every bug and accepts the settings, by building one node.
   *
   * @throws IllegalArgumentException naming the unknown bug (and the valid ones) or the refused setting
   */
  public static void validate(NodeFactory protocol, Set<String> bugs, Map<String, String> settings) {
    for (String bug : bugs) {
      if (!protocol.bugs().contains(bug)) {
        throw new IllegalArgumentException("unknown bug '" + bug + "' for " + protocol.name() + "; expected one of: "
            + String.join(", ", protocol.bugs()));
      }
    }
    protocol.newNode(bugs, settings);
  }
}
