package io.faultline.checkers.model;

import io.faultline.checkers.history.Operation;
import io.faultline.checkers.history.Values;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A single register, per key: {@code read}, {@code write} and, for the cas-register,
 * {@code cas [expected new]}. The kv model is the same register under the names {@code get},
 * {@code put} and {@code append}.
 */
final class RegisterModel implements Model {
  private final String name;
  private final Semantics semantics;
  private final Object init;
  private final boolean allowCas;
  private final boolean allowAppend;

  RegisterModel(String name, Semantics semantics, Object init, boolean allowCas, boolean allowAppend) {
    this.name = name;
    this.semantics = semantics;
    this.init = init;
    this.allowCas = allowCas;
    this.allowAppend = allowAppend;
  }

  @Override
  public String name() {
    return name;
  }

  /** What {@link #step} takes: the register's names and the kv names, cas and append when allowed. */
  @Override
  public Set<String> functions() {
    Set<String> fs = new LinkedHashSet<>(List.of("read", "write"));
    if (allowCas) fs.add("cas");
    fs.addAll(List.of("get", "put"));
    if (allowAppend) fs.add("append");
    return Collections.unmodifiableSet(fs);
  }

  @Override
  public Object init(Object key) {
    if (init instanceof java.util.Map<?, ?> perKey && key != null) {
      Object v = perKey.get(key);
      if (v == null && key instanceof String s) v = perKey.get(new io.faultline.checkers.history.Keyword(s));
      return v == null ? (allowAppend ? "" : null) : v;
    }
    return init;
  }

  @Override
  public boolean isReadOnly(Operation op) {
    String f = op.f();
    return "read".equals(f) || "get".equals(f);
  }

  @Override
  public boolean isBlind(Operation op) {
    return !isReadOnly(op);
  }

  @Override
  public boolean overwrites(Operation op) {
    return ("write".equals(op.f()) || "put".equals(op.f())) && op.outcome() != Operation.Outcome.FAIL;
  }

  /** An append only grows the string (a failed one leaves it as it was). */
  @Override
  public boolean onlyGrows(Operation op) {
    return allowAppend && "append".equals(op.f());
  }

  /** A read of the kv model can still be satisfied by appends only if it saw the state as a prefix. */
  @Override
  public boolean mayGrowInto(Object state, Operation read) {
    if (!allowAppend || read.outcome() != Operation.Outcome.OK || !(state instanceof String held)) return true;
    Object seen = read.output();
    if (seen == null) return semantics.nilRead() == Semantics.NilRead.WILDCARD || held.isEmpty();
    return seen instanceof String s && s.startsWith(held);
  }

  @Override
  public Object step(Object state, Operation op) {
    Operation.Outcome outcome = op.outcome();
    switch (op.f()) {
      case "read":
      case "get":
        if (outcome != Operation.Outcome.OK) return state; // unknown or failed: says nothing
        Object seen = op.output();
        if (seen == null && semantics.nilRead() == Semantics.NilRead.WILDCARD) return state;
        if (allowAppend && seen == null) seen = "";
        return Objects.equals(seen, state) ? state : ILLEGAL;
      case "write":
      case "put":
        if (outcome == Operation.Outcome.FAIL) return state;
        return op.value();
      case "append": {
        if (!allowAppend) return ILLEGAL;
        if (outcome == Operation.Outcome.FAIL) return state;
        String prefix = state == null ? "" : state.toString();
        return prefix + Objects.toString(op.value(), "");
      }
      case "cas": {
        if (!allowCas) return ILLEGAL;
        Object arg = op.value();
        if (!(arg instanceof List<?> pair) || pair.size() != 2) return ILLEGAL;
        boolean matches = Objects.equals(pair.get(0), state);
        if (outcome == Operation.Outcome.FAIL) {
          // Only reached under the OBSERVED reading: the compare saw something else.
          return matches ? ILLEGAL : state;
        }
        return matches ? pair.get(1) : ILLEGAL;
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
