package io.faultline.harness.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Partitions as grudges: for each node, the nodes it cannot hear from. The shapes are the ones
 * Jepsen's nemeses use, because each breaks a protocol in its own way: a clean split into halves, a
 * lone node, a ring where every node sees a majority but no two see the same one, and a bridge node
 * that alone sees both sides; and the primary (the node clients last saw acknowledge a write) cut
 * off alone, since a leader that does not know it was deposed is where most protocols go wrong.
 */
final class Grudges {
  private Grudges() {}

  /** A shape's name and the grudge it gives. */
  record Partition(String shape, SortedMap<String, SortedSet<String>> grudge) {}

  static final List<String> SHAPES =
      List.of("halves", "random-halves", "isolated-node", "isolated-primary", "majorities-ring", "bridge");

  /** A shape drawn uniformly; {@code primary} (may be null) is the node {@code isolated-primary} cuts off. */
  static Partition draw(List<String> nodes, Random random, String primary) {
    String shape = SHAPES.get(random.nextInt(SHAPES.size()));
    return new Partition(shape, of(shape, nodes, random, primary));
  }

  static SortedMap<String, SortedSet<String>> of(String shape, List<String> nodes, Random random, String primary) {
    List<String> shuffled = new ArrayList<>(nodes);
    return switch (shape) {
      case "halves" -> halves(nodes);
      case "random-halves" -> {
        Collections.shuffle(shuffled, random);
        yield halves(shuffled);
      }
      case "isolated-node", "isolated-primary" -> {
        String lone = shape.equals("isolated-primary") && primary != null && nodes.contains(primary)
            ? primary : nodes.get(random.nextInt(nodes.size()));
        List<String> rest = new ArrayList<>(nodes);
        rest.remove(lone);
        yield complete(List.of(List.of(lone), rest));
      }
      case "majorities-ring" -> {
        Collections.shuffle(shuffled, random);
        yield majoritiesRing(shuffled);
      }
      case "bridge" -> {
        Collections.shuffle(shuffled, random);
        yield bridge(shuffled);
      }
      default -> throw new IllegalArgumentException("unknown partition shape '" + shape + "'");
    };
  }

  /** The first floor(n/2) nodes against the rest. */
  static SortedMap<String, SortedSet<String>> halves(List<String> nodes) {
    int cut = nodes.size() / 2;
    return complete(List.of(nodes.subList(0, cut), nodes.subList(cut, nodes.size())));
  }

  /** Every node hears only the members of its own component. */
  static SortedMap<String, SortedSet<String>> complete(List<List<String>> components) {
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
   * majority with itself, and nobody else.
   */
  static SortedMap<String, SortedSet<String>> majoritiesRing(List<String> ring) {
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
  static SortedMap<String, SortedSet<String>> bridge(List<String> nodes) {
    List<String> rest = nodes.subList(1, nodes.size());
    int cut = rest.size() / 2;
    return complete(List.of(rest.subList(0, cut), rest.subList(cut, rest.size())));
  }
}
