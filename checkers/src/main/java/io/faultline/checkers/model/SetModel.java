package io.faultline.checkers.model;

import io.faultline.checkers.history.Operation;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** A grow-only set: {@code add v} and {@code read} returning every element. */
final class SetModel implements Model {
  @Override
  public String name() {
    return "set";
  }

  @Override
  public Set<String> functions() {
    return FUNCTIONS;
  }

  private static final Set<String> FUNCTIONS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of("add", "read")));

  @Override
  public Object init(Object key) {
    return Set.of();
  }

  @Override
  public boolean isReadOnly(Operation op) {
    return "read".equals(op.f());
  }

  @Override
  public boolean isBlind(Operation op) {
    return "add".equals(op.f());
  }

  @Override
  public boolean onlyGrows(Operation op) {
    return "add".equals(op.f());
  }

  /** Adds can satisfy a read later only if it saw every element the set already holds. */
  @Override
  public boolean mayGrowInto(Object state, Operation read) {
    if (read.outcome() != Operation.Outcome.OK || !(read.output() instanceof Collection<?> seen)) return true;
    Set<?> held = (Set<?>) state;
    return seen.size() >= held.size() && new HashSet<>(seen).containsAll(held);
  }

  @Override
  public Object step(Object state, Operation op) {
    Set<?> s = (Set<?>) state;
    switch (op.f()) {
      case "add": {
        if (op.outcome() == Operation.Outcome.FAIL) return state;
        Object v = op.value();
        if (s.contains(v)) return state;
        Set<Object> next = new HashSet<>(s);
        next.add(v);
        return Set.copyOf(next);
      }
      case "read": {
        if (op.outcome() != Operation.Outcome.OK) return state;
        Object out = op.output();
        if (!(out instanceof Collection<?> c)) return out == null ? state : ILLEGAL;
        if (c.size() < s.size()) return ILLEGAL;
        return new HashSet<>(c).equals(s) ? state : ILLEGAL;
      }
      default:
        return ILLEGAL;
    }
  }

  @Override
  public String describe(Object state) {
    try {
      return new TreeSet<>((Set<?>) state).toString();
    } catch (ClassCastException e) {
      return state.toString();
    }
  }
}
