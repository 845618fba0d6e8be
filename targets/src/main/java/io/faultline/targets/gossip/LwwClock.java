package io.faultline.targets.gossip;

/**
 * Where a last-writer-wins register's stamps come from ({@code --set clock=wall|lamport|hlc}).
 * Stamps only grow on one node; across nodes they order writes as well as the clock can:
 * <ul>
 *   <li>{@code wall}: the node's wall clock in microseconds. Under clock skew a write that began
 *       after another finished can carry the lower stamp and lose to it, which is the loss
 *       wall-clock LWW is known for.
 *   <li>{@code lamport}: a counter raised past every stamp the node sees (in writes, in gossip, and
 *       in the client's causal context) and ticked for each write; no wall clock at all.
 *   <li>{@code hlc}: a hybrid logical clock (Kulkarni et al.): the wall clock's milliseconds in the
 *       high bits, a counter in the low 16, never below any stamp seen, so it stays close to real
 *       time and yet orders every write after what its writer could have seen.
 * </ul>
 * What a node "sees" includes the stamp the client brings: the controller's clients carry the
 * highest stamp they were answered with into every request, as a causal session does, so a write
 * that begins after another was acknowledged is stamped after it whatever the clocks say.
 */
enum LwwClock {
  WALL("wall"),
  LAMPORT("lamport"),
  HLC("hlc");

  private static final int COUNTER_BITS = 16;

  final String wireName;

  LwwClock(String wireName) {
    this.wireName = wireName;
  }

  static LwwClock parse(String text) {
    for (LwwClock c : values()) if (c.wireName.equals(text)) return c;
    throw new IllegalArgumentException("clock must be wall, lamport or hlc, got '" + text + "'");
  }

  /**
   * The stamp for a new write, given the highest stamp this node has issued (and, for the logical
   * clocks, seen: {@code last}) and its wall clock now.
   */
  long next(long last, long wallMillis) {
    return switch (this) {
      // Above its own last stamp: two writes here in one millisecond must not tie.
      case WALL -> Math.max(wallMillis * 1000, last + 1);
      case LAMPORT -> last + 1;
      case HLC -> {
        long physical = wallMillis << COUNTER_BITS;
        yield physical > last ? physical : last + 1;
      }
    };
  }

  /** Whether stamps seen from elsewhere raise this node's clock: not for the wall clock, which reads only itself. */
  boolean learns() {
    return this != WALL;
  }
}
