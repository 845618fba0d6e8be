package io.faultline.harness.run;

import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Op;
import io.faultline.workloads.client.TargetWire;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the clients' operations came to, in numbers a reader can add up: every operation invoked
 * ended ok, refused (the system declined before doing anything: not the leader, connection
 * refused), rejected (a definite no from the state machine: a cas whose expected value did not
 * match), info (no answer: it may or may not have happened), or is unfinished.
 */
public record ClientTally(long invoked, long ok, long refused, long rejected, long info) {
  static final ClientTally NONE = new ClientTally(0, 0, 0, 0, 0);

  static ClientTally of(History h) {
    long invoked = 0;
    long ok = 0;
    long refused = 0;
    long rejected = 0;
    long info = 0;
    for (Op op : h.records()) {
      if (!op.isClient()) continue;
      switch (op.type()) {
        case INVOKE -> invoked++;
        case OK -> ok++;
        case FAIL -> {
          if (TargetWire.isRefusal(op)) refused++;
          else rejected++;
        }
        case INFO -> info++;
        default -> {}
      }
    }
    return new ClientTally(invoked, ok, refused, rejected, info);
  }

  long unfinished() {
    return Math.max(0, invoked - ok - refused - rejected - info);
  }

  /**
   * {@code 3,038 operations: 1,001 ok, 11 info, 1,667 refused, 359 rejected}: the ok and info ones
   * are those a history checker weighs (the others certainly did not happen).
   */
  String line() {
    String s = String.format(Locale.ROOT, "%,d operations: %,d ok, %,d info, %,d refused, %,d rejected", invoked, ok,
        info, refused, rejected);
    return unfinished() > 0 ? s + String.format(Locale.ROOT, ", %,d unfinished", unfinished()) : s;
  }

  /** As {@code results.json} holds it. */
  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("invoked", invoked);
    m.put("ok", ok);
    m.put("refused", refused);
    m.put("rejected", rejected);
    m.put("info", info);
    if (unfinished() > 0) m.put("unfinished", unfinished());
    return m;
  }
}
