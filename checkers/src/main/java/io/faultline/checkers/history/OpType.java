package io.faultline.checkers.history;

import java.util.Locale;

/** What a history record says about its operation, with Jepsen's meaning. */
public enum OpType {
  /** The operation was called. */
  INVOKE,
  /** It completed and took effect. */
  OK,
  /** It completed and certainly did not take effect (or, under Porcupine's reading, it observed a mismatch). */
  FAIL,
  /** It may or may not have taken effect; its process is retired. */
  INFO;

  /** The lower-case name used by every format: {@code invoke}, {@code ok}, {@code fail}, {@code info}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; returns null when it is not one of the four. */
  public static OpType fromWire(String name) {
    if (name == null) return null;
    switch (name) {
      case "invoke": return INVOKE;
      case "ok": return OK;
      case "fail": return FAIL;
      case "info": return INFO;
      default: return null;
    }
  }

  public boolean isCompletion() {
    return this != INVOKE;
  }
}
