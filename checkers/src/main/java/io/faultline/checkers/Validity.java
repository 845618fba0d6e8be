package io.faultline.checkers;

/** A checker's verdict. Composed verdicts are false over unknown over true, as in Jepsen. */
public enum Validity {
  TRUE,
  FALSE,
  UNKNOWN;

  /** The verdict of two checks together: any false is false, else any unknown is unknown. */
  public Validity and(Validity other) {
    if (this == FALSE || other == FALSE) return FALSE;
    if (this == UNKNOWN || other == UNKNOWN) return UNKNOWN;
    return TRUE;
  }

  /** The process exit code Jepsen uses for this verdict: 0 valid, 1 invalid, 2 unknown. */
  public int exitCode() {
    return switch (this) {
      case TRUE -> 0;
      case FALSE -> 1;
      case UNKNOWN -> 2;
    };
  }

  /** {@code true}, {@code false} or {@code unknown}, as written in results.json. */
  public String wireName() {
    return switch (this) {
      case TRUE -> "true";
      case FALSE -> "false";
      case UNKNOWN -> "unknown";
    };
  }
}
