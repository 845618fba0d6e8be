package io.faultline.checkers.history;

import io.faultline.checkers.model.Semantics;
import java.util.Locale;

/**
 * The history file formats Faultline reads. Each format comes from one tool, and each tool meant
 * something of its own by a nil read and a failed operation, so each format names the reading that
 * its files were written under ({@link #defaultSemantics()}); a user may override it.
 */
public enum HistoryFormat {
  /** Faultline's own {@code history.jsonl}: one JSON object per line. */
  JSONL("jsonl"),
  /** Jepsen/Knossos EDN: a vector or list of op maps, or a sequence of top-level op maps. */
  EDN("edn"),
  /** The {@code INFO jepsen.util - ...} op lines of a Jepsen log, as in Porcupine's etcd test data. */
  JEPSEN_LOG("jepsen-log"),
  /** Porcupine's key/value test data: one EDN map with a {@code :key} per line. */
  PORCUPINE_KV("porcupine-kv");

  private final String wireName;

  HistoryFormat(String wireName) {
    this.wireName = wireName;
  }

  /** The name used on the command line and in files: {@code jsonl}, {@code edn}, ... */
  public String wireName() {
    return wireName;
  }

  /**
   * Parses a wire name (case does not matter).
   *
   * @throws IllegalArgumentException naming the valid names, so a command can print it as it is
   */
  public static HistoryFormat fromName(String name) {
    if (name != null) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      for (HistoryFormat f : values()) {
        if (f.wireName.equals(n)) return f;
      }
    }
    StringBuilder valid = new StringBuilder();
    for (HistoryFormat f : values()) {
      if (valid.length() > 0) valid.append(", ");
      valid.append(f.wireName);
    }
    throw new IllegalArgumentException(
        "unknown history format '" + name + "'; expected one of " + valid);
  }

  /**
   * The reading under which histories in this format were recorded: Knossos's for EDN, Porcupine's
   * for its two formats, Faultline's own for JSON lines.
   */
  public Semantics defaultSemantics() {
    return switch (this) {
      case EDN -> Semantics.JEPSEN;
      case JEPSEN_LOG, PORCUPINE_KV -> Semantics.PORCUPINE;
      case JSONL -> Semantics.FAULTLINE;
    };
  }
}
