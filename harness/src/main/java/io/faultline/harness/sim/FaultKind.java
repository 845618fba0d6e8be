package io.faultline.harness.sim;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The kinds of fault the simulator's nemesis draws from, by the names {@code --faults} takes. */
public enum FaultKind {
  /** Network partitions by grudge: halves, random halves, one node isolated, majorities ring, bridge. */
  PARTITION,
  /** Crashes (one node, a minority, a majority or all) and restarts on what storage kept. */
  CRASH,
  /** A paused process: receives nothing, fires no timer, until resumed. */
  PAUSE,
  /** Wall-clock offsets of seconds, forwards and backwards. */
  CLOCK,
  /** Bursts of message loss and duplication. */
  LOSS;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a comma-separated list such as {@code partition,crash}; {@code all} means every kind,
   * {@code none} no faults at all.
   *
   * @throws IllegalArgumentException naming the unknown kind and the known ones
   */
  public static Set<FaultKind> parse(String list) {
    EnumSet<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
    for (String part : list.split(",")) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) continue;
      if (name.equals("all")) {
        kinds.addAll(EnumSet.allOf(FaultKind.class));
      } else if (!name.equals("none")) {
        FaultKind kind = null;
        for (FaultKind k : values()) if (k.wireName().equals(name)) kind = k;
        if (kind == null) throw new IllegalArgumentException("unknown fault '" + part.trim() + "'; expected " + names() + ", all or none");
        kinds.add(kind);
      }
    }
    return kinds;
  }

  public static String names() {
    List<String> out = new ArrayList<>();
    for (FaultKind k : values()) out.add(k.wireName());
    return String.join(", ", out);
  }
}
