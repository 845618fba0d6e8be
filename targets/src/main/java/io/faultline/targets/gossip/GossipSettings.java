package io.faultline.targets.gossip;

import io.faultline.targets.node.PlantedBug;
import io.faultline.targets.node.Settings;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A gossip node's settings: {@code clock} (wall | lamport | hlc, default hlc), {@code sets} (or-set
 * | g-set: what a set key is, default or-set), {@code gossip-interval} (ms between anti-entropy
 * rounds, 100), {@code compact-every} (log records between rewrites, 2000); and its planted bugs.
 */
record GossipSettings(EnumSet<GossipBug> bugs, LwwClock clock, boolean orSets, Duration gossipInterval, int compactEvery) {
  static final List<String> KNOWN = List.of("clock", "sets", "gossip-interval", "compact-every");

  static GossipSettings parse(Set<String> bugNames, Map<String, String> given) {
    EnumSet<GossipBug> bugs = PlantedBug.parse(GossipBug.class, "gossip", bugNames);
    Settings s = Settings.of("gossip", given, KNOWN);
    LwwClock clock;
    try {
      clock = LwwClock.parse(s.text("clock", "hlc"));
    } catch (IllegalArgumentException e) {
      throw s.refused(e.getMessage());
    }
    String sets = s.text("sets", "or-set");
    if (!sets.equals("or-set") && !sets.equals("g-set")) throw s.refused("sets must be or-set or g-set, got '" + sets + "'");
    return new GossipSettings(bugs, clock, sets.equals("or-set"), Duration.ofMillis(s.positive("gossip-interval", 100)),
        s.positive("compact-every", 2000));
  }

  boolean has(GossipBug bug) {
    return bugs.contains(bug);
  }
}
