package io.faultline.nemesis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Partitions as grudges: for each node, the nodes it cannot hear from. The shapes are the classic
 * ones because each breaks a protocol in its own way: a clean split into halves, a lone node, a
 * ring where every node sees a majority but no two see the same one, a bridge node that alone sees
 * both sides, and the leader cut off alone, since a leader that does not know it was deposed is
 * where most protocols go wrong.
 *
 * <p>Contract. Every grudge is symmetric (if a cannot hear b, b cannot hear a), lists only nodes of
 * the cluster, never lists a node in its own entry, and leaves out nodes that hear everyone. The
 * maps are sorted so that a grudge prints, and serialises, the same way every time. The only
 * randomness is the {@link Random} passed in, so the simulator and a seeded schedule replay exactly.
 */
public final class Grudges {
  private Grudges() {}

  /** A shape's name and the grudge it gives. */
  public record Partition(String shape, SortedMap<String, SortedSet<String>> grudge) {
    public Partition {
      grudge = Collections.unmodifiableSortedMap(grudge);
    }

    /**
     * The history's value for {@code start-partition}: {@code {"shape": ..., "grudge": {"n1":
     * ["n3"], ...}}}, with lists rather than sets so that JSON and EDN write the same thing.
     */
    public Map<String, Object> value() {
      Map<String, Object> grudges = new LinkedHashMap<>();
      grudge.forEach((node, hated) -> grudges.put(node, List.copyOf(hated)));
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("shape", shape);
      value.put("grudge", Collections.unmodifiableMap(grudges));
      return Collections.unmodifiableMap(value);
    }
  }

  public static final List<String> SHAPES =
      List.of("halves", "random-halves", "isolated-node", "isolated-leader", "majorities-ring", "bridge");

  /** A shape drawn uniformly; {@code leader} (may be null) is the node {@code isolated-leader} cuts off. */
  public static Partition draw(List<String> nodes, Random random, String leader) {
    String shape = SHAPES.get(random.nextInt(SHAPES.size()));
    return new Partition(shape, of(shape, nodes, random, leader));
  }

  /**
   * The grudge of {@code shape} on {@code nodes}. {@code isolated-leader} cuts off {@code leader}
   * when it is one of the nodes, and otherwise a node drawn from {@code random}, as {@code
   * isolated-node} does.
   */
  public static SortedMap<String, SortedSet<String>> of(String shape, List<String> nodes, Random random, String leader) {
    if (shape.equals("isolated-leader") && leader != null && nodes.contains(leader)) {
      return arrange(shape, leaderFirst(nodes, leader));
    }
    return arrange(shape, order(shape, nodes, random));
  }

  /**
   * The order {@link #arrange} reads for {@code shape}, drawn from {@code random}: the nodes as
   * given for {@code halves}, shuffled for the shapes that place nodes, and a drawn node first for
   * the isolated shapes. Kept apart from {@link #arrange} so that a schedule can draw the order up
   * front and a leader known only later can still be put first.
   */
  public static List<String> order(String shape, List<String> nodes, Random random) {
    List<String> order = new ArrayList<>(nodes);
    switch (shape) {
      case "halves" -> {}
      case "random-halves", "majorities-ring", "bridge" -> Collections.shuffle(order, random);
      case "isolated-node", "isolated-leader" -> order = leaderFirst(nodes, nodes.get(random.nextInt(nodes.size())));
      default -> throw unknown(shape);
    }
    return List.copyOf(order);
  }

  /**
   * The grudge of {@code shape} on nodes in {@code order}: halves of the order; the first node
   * alone (isolated shapes); a ring in that order; the first node as the bridge. No randomness.
   */
  public static SortedMap<String, SortedSet<String>> arrange(String shape, List<String> order) {
    return switch (shape) {
      case "halves", "random-halves" -> halves(order);
      case "isolated-node", "isolated-leader" -> complete(List.of(order.subList(0, 1), order.subList(1, order.size())));
      case "majorities-ring" -> majoritiesRing(order);
      case "bridge" -> bridge(order);
      default -> throw unknown(shape);
    };
  }

  /**
   * The shapes that cut something off in a cluster of {@code size} nodes: with three nodes a
   * majorities ring is the whole cluster, with two a bridge has nobody to separate, with one
   * nothing can be cut. A schedule draws from these so that no partition step is a no-op.
   */
  public static List<String> shapesFor(int size) {
    if (size < 2) return List.of();
    List<String> nodes = new ArrayList<>();
    for (int i = 1; i <= size; i++) nodes.add("n" + i);
    List<String> out = new ArrayList<>();
    for (String shape : SHAPES) if (!arrange(shape, nodes).isEmpty()) out.add(shape);
    return List.copyOf(out);
  }

  /** The first floor(n/2) nodes against the rest. */
  public static SortedMap<String, SortedSet<String>> halves(List<String> nodes) {
    int cut = nodes.size() / 2;
    return complete(List.of(nodes.subList(0, cut), nodes.subList(cut, nodes.size())));
  }

  /** Every node hears only the members of its own component. */
  public static SortedMap<String, SortedSet<String>> complete(List<List<String>> components) {
    SortedMap<String, SortedSet<String>> grudge = new TreeMap<>();
    for (List<String> mine : components) {
      for (String n : mine) {
        SortedSet<String> others = new TreeSet<>();
        for (List<String> theirs : components) if (theirs != mine) others.addAll(theirs);
        if (!others.isEmpty()) grudge.put(n, others);
      }
    }
    return grudge;
  }

  /**
   * Nodes in a ring (in the given order), each hearing the nearest nodes on both sides that make a
   * majority with itself, and nobody else. Reaching the same distance both ways keeps the grudge
   * symmetric; for five nodes each hears exactly three, and no two hear the same three.
   */
  public static SortedMap<String, SortedSet<String>> majoritiesRing(List<String> ring) {
    int n = ring.size();
    int majority = n / 2 + 1;
    int reach = majority / 2; // on each side: 1 + 2 * reach >= majority
    SortedMap<String, SortedSet<String>> grudge = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      SortedSet<String> hated = new TreeSet<>();
      for (int j = 0; j < n; j++) {
        int d = Math.abs(i - j);
        if (Math.min(d, n - d) > reach) hated.add(ring.get(j));
      }
      if (!hated.isEmpty()) grudge.put(ring.get(i), hated);
    }
    return grudge;
  }

  /** The first node is the bridge: the other two halves cannot hear each other; it hears everyone. */
  public static SortedMap<String, SortedSet<String>> bridge(List<String> nodes) {
    List<String> rest = nodes.subList(1, nodes.size());
    int cut = rest.size() / 2;
    return complete(List.of(rest.subList(0, cut), rest.subList(cut, rest.size())));
  }

  private static List<String> leaderFirst(List<String> nodes, String first) {
    List<String> order = new ArrayList<>();
    order.add(first);
    for (String n : nodes) if (!n.equals(first)) order.add(n);
    return order;
  }

  private static IllegalArgumentException unknown(String shape) {
    return new IllegalArgumentException("unknown partition shape '" + shape + "'; expected one of " + SHAPES);
  }
}
