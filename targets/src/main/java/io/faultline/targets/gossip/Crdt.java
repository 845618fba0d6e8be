package io.faultline.targets.gossip;

import io.faultline.targets.kv.KvWire;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The state of one key, as a state-based CRDT: immutable, with a {@link #merge} that is
 * commutative, associative and idempotent (the correct build's), so replicas that have seen the
 * same updates in any order and any number of times hold the same state.
 *
 * <p>Contract. {@code merge} with {@code faithful == false} is the planted {@code bad-merge}: it
 * prefers the incoming state and breaks those laws on purpose.
 */
sealed interface Crdt permits Crdt.Register, Crdt.GSet, Crdt.OrSet, Crdt.Counter {
  /** The state this one and {@code other} (of the same kind) join to. */
  Crdt merge(Crdt other, boolean faithful);

  /** What a read returns: the value, the elements in order, or the count. */
  Object read();

  /** The highest LWW stamp in this state, so a recovering node's clock starts above it; 0 for none. */
  default long maxStamp() {
    return 0;
  }

  /** The kind's name, for the refusal when an operation of another kind comes to this key. */
  String kind();

  /**
   * A last-writer-wins register: the write with the highest stamp wins, ties broken by the writer's
   * id, so every replica picks the same one.
   */
  record Register(long value, long stamp, String writer) implements Crdt {
    @Override
    public Crdt merge(Crdt other, boolean faithful) {
      Register o = (Register) other;
      int order = Long.compare(o.stamp, stamp);
      if (order == 0) order = faithful ? o.writer.compareTo(writer) : 1;
      // Never reached by stamps a node issues, which rise; kept so the join is total whatever comes.
      if (order == 0) order = Long.compare(o.value, value);
      return order > 0 ? o : this;
    }

    @Override
    public Object read() {
      return value;
    }

    @Override
    public long maxStamp() {
      return stamp;
    }

    @Override
    public String kind() {
      return "register";
    }
  }

  /** A grow-only set: the union of every add. */
  record GSet(SortedSet<Long> elements) implements Crdt {
    public GSet {
      elements = new TreeSet<>(elements);
    }

    GSet plus(long element) {
      TreeSet<Long> next = new TreeSet<>(elements);
      next.add(element);
      return new GSet(next);
    }

    @Override
    public Crdt merge(Crdt other, boolean faithful) {
      GSet o = (GSet) other;
      if (!faithful) return o.elements.size() >= elements.size() ? o : this;
      TreeSet<Long> union = new TreeSet<>(elements);
      union.addAll(o.elements);
      return new GSet(union);
    }

    @Override
    public Object read() {
      return List.copyOf(elements);
    }

    @Override
    public String kind() {
      return "g-set";
    }
  }

  /**
   * An observed-remove set: each add is tagged with a dot unique to the node and the add; a remove
   * tombstones the dots it has seen for the element, so a concurrent add (a dot it had not seen)
   * survives it.
   */
  record OrSet(SortedMap<Long, SortedSet<String>> dots, SortedSet<String> removed) implements Crdt {
    public OrSet {
      TreeMap<Long, SortedSet<String>> copy = new TreeMap<>();
      dots.forEach((e, d) -> copy.put(e, new TreeSet<>(d)));
      dots = copy;
      removed = new TreeSet<>(removed);
    }

    OrSet plus(long element, String dot) {
      OrSet next = new OrSet(dots, removed);
      next.dots.computeIfAbsent(element, e -> new TreeSet<>()).add(dot);
      return next;
    }

    OrSet minus(long element) {
      OrSet next = new OrSet(dots, removed);
      next.removed.addAll(dots.getOrDefault(element, new TreeSet<>()));
      return next;
    }

    /** The part of this state a remove of {@code element} from {@code before} added: its tombstones alone. */
    OrSet tombstonesOf(long element, Crdt before) {
      SortedSet<String> seen = before instanceof OrSet b ? b.dots.getOrDefault(element, new TreeSet<>()) : new TreeSet<>();
      return new OrSet(new TreeMap<>(), seen);
    }

    @Override
    public Crdt merge(Crdt other, boolean faithful) {
      OrSet o = (OrSet) other;
      if (!faithful) return o.read().size() >= read().size() ? o : this;
      OrSet next = new OrSet(dots, removed);
      o.dots.forEach((e, d) -> next.dots.computeIfAbsent(e, x -> new TreeSet<>()).addAll(d));
      next.removed.addAll(o.removed);
      return next;
    }

    @Override
    public List<Long> read() {
      List<Long> out = new ArrayList<>();
      dots.forEach((e, d) -> {
        for (String dot : d) {
          if (!removed.contains(dot)) {
            out.add(e);
            return;
          }
        }
      });
      return out;
    }

    @Override
    public String kind() {
      return "or-set";
    }
  }

  /** A PN-counter: per node, the total of its increments and of its decrements; joined by maximum. */
  record Counter(SortedMap<String, Long> up, SortedMap<String, Long> down) implements Crdt {
    public Counter {
      up = new TreeMap<>(up);
      down = new TreeMap<>(down);
    }

    /** Only {@code node}'s totals: what an update there changed, all a log record of it needs. */
    Counter own(String node) {
      Counter mine = new Counter(new TreeMap<>(), new TreeMap<>());
      if (up.containsKey(node)) mine.up.put(node, up.get(node));
      if (down.containsKey(node)) mine.down.put(node, down.get(node));
      return mine;
    }

    Counter plus(String node, long delta) {
      Counter next = new Counter(up, down);
      if (delta >= 0) next.up.merge(node, delta, Long::sum);
      else next.down.merge(node, -delta, Long::sum);
      return next;
    }

    @Override
    public Crdt merge(Crdt other, boolean faithful) {
      Counter o = (Counter) other;
      Counter next = new Counter(up, down);
      o.up.forEach((n, v) -> next.up.merge(n, v, faithful ? Math::max : (mine, theirs) -> theirs));
      o.down.forEach((n, v) -> next.down.merge(n, v, faithful ? Math::max : (mine, theirs) -> theirs));
      return next;
    }

    @Override
    public Object read() {
      long total = 0;
      for (long v : up.values()) total += v;
      for (long v : down.values()) total -= v;
      return total;
    }

    @Override
    public String kind() {
      return "pn-counter";
    }
  }

  static void write(DataOutputStream out, Crdt state) throws IOException {
    if (state instanceof Register r) {
      out.writeByte(0);
      out.writeLong(r.value);
      out.writeLong(r.stamp);
      KvWire.writeString(out, r.writer);
    } else if (state instanceof GSet g) {
      out.writeByte(1);
      out.writeInt(g.elements.size());
      for (long e : g.elements) out.writeLong(e);
    } else if (state instanceof OrSet s) {
      out.writeByte(2);
      out.writeInt(s.dots.size());
      for (Map.Entry<Long, SortedSet<String>> e : s.dots.entrySet()) {
        out.writeLong(e.getKey());
        writeStrings(out, e.getValue());
      }
      writeStrings(out, s.removed);
    } else {
      Counter c = (Counter) state;
      out.writeByte(3);
      writeTotals(out, c.up);
      writeTotals(out, c.down);
    }
  }

  static Crdt read(DataInputStream in) throws IOException {
    byte kind = in.readByte();
    switch (kind) {
      case 0:
        return new Register(in.readLong(), in.readLong(), KvWire.readString(in));
      case 1: {
        TreeSet<Long> elements = new TreeSet<>();
        for (int i = in.readInt(); i > 0; i--) elements.add(in.readLong());
        return new GSet(elements);
      }
      case 2: {
        TreeMap<Long, SortedSet<String>> dots = new TreeMap<>();
        for (int i = in.readInt(); i > 0; i--) dots.put(in.readLong(), readStrings(in));
        return new OrSet(dots, readStrings(in));
      }
      case 3:
        return new Counter(readTotals(in), readTotals(in));
      default:
        throw new IOException("unknown state kind " + kind);
    }
  }

  private static void writeStrings(DataOutputStream out, SortedSet<String> strings) throws IOException {
    out.writeInt(strings.size());
    for (String s : strings) KvWire.writeString(out, s);
  }

  private static SortedSet<String> readStrings(DataInputStream in) throws IOException {
    TreeSet<String> out = new TreeSet<>();
    for (int i = in.readInt(); i > 0; i--) out.add(KvWire.readString(in));
    return out;
  }

  private static void writeTotals(DataOutputStream out, SortedMap<String, Long> totals) throws IOException {
    out.writeInt(totals.size());
    for (Map.Entry<String, Long> e : totals.entrySet()) {
      KvWire.writeString(out, e.getKey());
      out.writeLong(e.getValue());
    }
  }

  private static SortedMap<String, Long> readTotals(DataInputStream in) throws IOException {
    TreeMap<String, Long> out = new TreeMap<>();
    for (int i = in.readInt(); i > 0; i--) out.put(KvWire.readString(in), in.readLong());
    return out;
  }
}
