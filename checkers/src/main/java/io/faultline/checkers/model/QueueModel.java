package io.faultline.checkers.model;

import io.faultline.checkers.history.Operation;
import io.faultline.checkers.history.Values;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A queue: {@code enqueue v} and {@code dequeue} returning the element taken, or nil when empty.
 * FIFO takes the oldest element; unordered takes any. An indeterminate dequeue may remove an element
 * without anyone seeing it: the head for FIFO, any element for the unordered queue (which is why the
 * unordered queue is nondeterministic).
 */
final class QueueModel implements Model {
  private final boolean fifo;

  QueueModel(boolean fifo) {
    this.fifo = fifo;
  }

  @Override
  public String name() {
    return fifo ? "fifo-queue" : "unordered-queue";
  }

  @Override
  public Set<String> functions() {
    return FUNCTIONS;
  }

  private static final Set<String> FUNCTIONS =
      Collections.unmodifiableSet(new LinkedHashSet<>(List.of("enqueue", "dequeue")));

  @Override
  public Object init(Object key) {
    return fifo ? List.of() : Map.of();
  }

  @Override
  public boolean isDeterministic() {
    return fifo;
  }

  @Override
  public boolean isBlind(Operation op) {
    return "enqueue".equals(op.f());
  }

  @Override
  public Object step(Object state, Operation op) {
    if (fifo) return stepFifo(castList(state), op);
    Object[] only = {ILLEGAL};
    int[] n = {0};
    stepAll(state, op, s -> {
      only[0] = s;
      n[0]++;
    });
    return n[0] == 1 ? only[0] : ILLEGAL;
  }

  @Override
  public void stepAll(Object state, Operation op, Consumer<Object> next) {
    if (fifo) {
      Object s = stepFifo(castList(state), op);
      if (s != ILLEGAL) next.accept(s);
      return;
    }
    @SuppressWarnings("unchecked")
    Map<Object, Integer> bag = (Map<Object, Integer>) state;
    switch (op.f()) {
      case "enqueue" -> {
        if (op.outcome() == Operation.Outcome.FAIL) {
          next.accept(state);
        } else {
          next.accept(adjust(bag, op.value(), +1));
        }
      }
      case "dequeue" -> {
        switch (op.outcome()) {
          case FAIL -> next.accept(state);
          case OK -> {
            Object v = op.output();
            if (v == null) {
              if (bag.isEmpty()) next.accept(state);
            } else if (bag.containsKey(v)) {
              next.accept(adjust(bag, v, -1));
            }
          }
          case UNKNOWN -> {
            for (Object v : bag.keySet()) next.accept(adjust(bag, v, -1));
          }
        }
      }
      default -> { }
    }
  }

  private static Map<Object, Integer> adjust(Map<Object, Integer> bag, Object v, int delta) {
    Map<Object, Integer> m = new HashMap<>(bag);
    int c = m.getOrDefault(v, 0) + delta;
    if (c == 0) m.remove(v);
    else m.put(v, c);
    return Map.copyOf(m);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> castList(Object state) {
    return (List<Object>) state;
  }

  private Object stepFifo(List<Object> q, Operation op) {
    switch (op.f()) {
      case "enqueue": {
        if (op.outcome() == Operation.Outcome.FAIL) return q;
        List<Object> next = new ArrayList<>(q.size() + 1);
        next.addAll(q);
        next.add(op.value());
        return List.copyOf(next);
      }
      case "dequeue": {
        switch (op.outcome()) {
          case FAIL:
            return q;
          case OK: {
            Object v = op.output();
            if (v == null) return q.isEmpty() ? q : ILLEGAL;
            if (q.isEmpty() || !Objects.equals(q.get(0), v)) return ILLEGAL;
            return List.copyOf(q.subList(1, q.size()));
          }
          default:
            return q.isEmpty() ? ILLEGAL : List.copyOf(q.subList(1, q.size()));
        }
      }
      default:
        return ILLEGAL;
    }
  }

  @Override
  public String describe(Object state) {
    return Values.show(state);
  }
}
