package io.faultline.targets.node;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeSet;

/**
 * A bug that can be planted in a bundled target's node ({@code --bug NAME}), so that the harness can
 * prove it catches it. Each target lists its own as an enum implementing this; the names and their
 * parsing are shared here.
 */
public interface PlantedBug {
  /** The name used on command lines, such as {@code stale-read}. */
  String wireName();

  /** Every bug of {@code kind}, by name, in declaration order: what {@link NodeFactory#bugs} answers. */
  static <B extends Enum<B> & PlantedBug> List<String> names(Class<B> kind) {
    List<String> names = new ArrayList<>();
    for (B bug : kind.getEnumConstants()) names.add(bug.wireName());
    return List.copyOf(names);
  }

  /**
   * The bugs {@code names} name.
   *
   * @throws IllegalArgumentException naming the first unknown one (in sorted order, so the same one
   *     every time) and the known ones, as {@code unknown raft bug 'x' (known: ...)}
   */
  static <B extends Enum<B> & PlantedBug> EnumSet<B> parse(Class<B> kind, String target, Collection<String> names) {
    EnumSet<B> bugs = EnumSet.noneOf(kind);
    for (String name : new TreeSet<>(names)) {
      B found = null;
      for (B bug : kind.getEnumConstants()) if (bug.wireName().equals(name)) found = bug;
      if (found == null) {
        throw new IllegalArgumentException("unknown " + target + " bug '" + name + "' (known: "
            + String.join(", ", names(kind)) + ")");
      }
      bugs.add(found);
    }
    return bugs;
  }
}
