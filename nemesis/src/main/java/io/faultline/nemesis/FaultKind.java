package io.faultline.nemesis;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The kinds of fault, by the names {@code --nemesis} takes. */
public enum FaultKind {
  /** Partitions by grudge: halves, random halves, one node, majorities ring, bridge, the leader isolated. */
  PARTITION,
  /** SIGKILL of one node, a minority, a majority, all, or the leader; then a restart on the same data. */
  KILL,
  /** SIGSTOP then SIGCONT, of the same choices of nodes. */
  PAUSE,
  /** Wall-clock offsets: a bump by plus or minus N seconds, a strobe of bumps, a reset. */
  CLOCK,
  /** Packet loss on some links. */
  LOSS,
  /** Added delay, with jitter, on some links. */
  LATENCY;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a comma-separated list such as {@code partition,kill}; {@code all} means every kind,
   * {@code none} no faults at all.
   *
   * @throws IllegalArgumentException naming the unknown kind and the known ones
   */
  public static Set<FaultKind> parse(String list) {
    return parse(list, EnumSet.allOf(FaultKind.class));
  }

  /**
   * As {@link #parse(String)}, for a runner that offers only some kinds (the simulator has no
   * latency fault): {@code all} means all it offers, and naming another kind is an error.
   *
   * @throws IllegalArgumentException naming the kind and the ones offered
   */
  public static Set<FaultKind> parse(String list, Set<FaultKind> offered) {
    EnumSet<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
    for (String part : list.split(",")) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty() || name.equals("none")) continue;
      if (name.equals("all")) {
        kinds.addAll(offered);
        continue;
      }
      FaultKind kind = null;
      for (FaultKind k : values()) if (k.wireName().equals(name) && offered.contains(k)) kind = k;
      if (kind == null) {
        throw new IllegalArgumentException("unknown fault '" + part.trim() + "'; expected " + names(offered) + ", all or none");
      }
      kinds.add(kind);
    }
    return kinds;
  }

  public static String names() {
    return names(EnumSet.allOf(FaultKind.class));
  }

  private static String names(Set<FaultKind> kinds) {
    List<String> out = new ArrayList<>();
    for (FaultKind k : values()) if (kinds.contains(k)) out.add(k.wireName());
    return String.join(", ", out);
  }
}
