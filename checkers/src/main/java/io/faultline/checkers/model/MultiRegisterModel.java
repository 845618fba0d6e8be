package io.faultline.checkers.model;

import io.faultline.checkers.history.Operation;
import io.faultline.checkers.history.Values;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Several registers changed by transactions: {@code txn} with a list of micro-operations
 * {@code [read k v]} and {@code [write k v]}, applied atomically and in order. The completion carries
 * the values read.
 */
final class MultiRegisterModel implements Model {
  private final Semantics semantics;
  private final Map<Object, Object> init;

  MultiRegisterModel(Semantics semantics, Object init) {
    this.semantics = semantics;
    Map<Object, Object> m = new HashMap<>();
    if (init instanceof Map<?, ?> given) {
      for (Map.Entry<?, ?> e : given.entrySet()) m.put(Values.name(e.getKey()), e.getValue());
    }
    this.init = Map.copyOf(withoutNulls(m));
  }

  private static Map<Object, Object> withoutNulls(Map<Object, Object> m) {
    m.values().removeIf(Objects::isNull);
    return m;
  }

  @Override
  public String name() {
    return "multi-register";
  }

  /** One function: the micro-operations inside a txn are its value, not functions of their own. */
  @Override
  public Set<String> functions() {
    return Set.of("txn");
  }

  @Override
  public Object init(Object key) {
    return init;
  }

  @Override
  public boolean isReadOnly(Operation op) {
    if (!(op.input() instanceof List<?> micro)) return false;
    for (Object m : micro) {
      if (!(m instanceof List<?> l) || l.isEmpty() || !"read".equals(Values.name(l.get(0)))) return false;
    }
    return true;
  }

  @Override
  public boolean isBlind(Operation op) {
    if (!(op.value() instanceof List<?> micro)) return false;
    for (Object m : micro) {
      if (!(m instanceof List<?> l) || l.isEmpty() || !"write".equals(Values.name(l.get(0)))) return false;
    }
    return true;
  }

  @Override
  public Object step(Object state, Operation op) {
    if (!"txn".equals(op.f())) return ILLEGAL;
    if (op.outcome() == Operation.Outcome.FAIL) return state;
    boolean known = op.outcome() == Operation.Outcome.OK;
    Object v = known ? op.value() : op.input();
    if (!(v instanceof List<?> micro)) return ILLEGAL;
    @SuppressWarnings("unchecked")
    Map<Object, Object> regs = (Map<Object, Object>) state;
    Map<Object, Object> next = null;
    for (Object m : micro) {
      if (!(m instanceof List<?> l) || l.size() != 3) return ILLEGAL;
      String f = Values.name(l.get(0));
      Object k = Values.name(l.get(1));
      Object val = l.get(2);
      Map<Object, Object> current = next == null ? regs : next;
      if ("read".equals(f)) {
        if (!known) continue;
        if (val == null && semantics.nilRead() == Semantics.NilRead.WILDCARD) continue;
        if (!Objects.equals(val, current.get(k))) return ILLEGAL;
      } else if ("write".equals(f)) {
        if (next == null) next = new HashMap<>(regs);
        if (val == null) next.remove(k);
        else next.put(k, val);
      } else {
        return ILLEGAL;
      }
    }
    return next == null ? state : Map.copyOf(next);
  }

  @Override
  public String describe(Object state) {
    @SuppressWarnings("unchecked")
    Map<Object, Object> m = (Map<Object, Object>) state;
    return Values.show(new TreeMap<>(m));
  }
}
