package io.faultline.checkers.model;

import io.faultline.checkers.history.Operation;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A lock: {@code acquire} succeeds only when free, {@code release} only when held. */
final class MutexModel implements Model {
  @Override
  public String name() {
    return "mutex";
  }

  @Override
  public Set<String> functions() {
    return FUNCTIONS;
  }

  private static final Set<String> FUNCTIONS =
      Collections.unmodifiableSet(new LinkedHashSet<>(List.of("acquire", "release")));

  @Override
  public Object init(Object key) {
    return Boolean.FALSE;
  }

  @Override
  public boolean isBlind(Operation op) {
    return true;
  }

  @Override
  public Object step(Object state, Operation op) {
    boolean held = (Boolean) state;
    if (op.outcome() == Operation.Outcome.FAIL) return state;
    switch (op.f()) {
      case "acquire":
        return held ? ILLEGAL : Boolean.TRUE;
      case "release":
        return held ? Boolean.FALSE : ILLEGAL;
      default:
        return ILLEGAL;
    }
  }

  @Override
  public String describe(Object state) {
    return (Boolean) state ? "held" : "free";
  }
}
