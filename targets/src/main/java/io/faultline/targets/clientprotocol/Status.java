package io.faultline.targets.clientprotocol;

/**
 * Which of three things happened to a request. A client maps them to {@code ok}, {@code fail} and
 * {@code info}; confusing the last two is how a harness raises false alarms or misses real ones.
 */
public enum Status {
  /** It happened, exactly once; the response's value is the result. */
  DONE("done"),
  /** It certainly did not happen and never will (not the leader, CAS mismatch, bad request). */
  NOT_DONE("not-done"),
  /** It may have happened or may still happen (timed out, leadership lost while waiting). */
  UNKNOWN("unknown");

  private final String wireName;

  Status(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Status fromWire(String name) {
    for (Status s : values()) {
      if (s.wireName.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown status '" + name + "' (expected done, not-done or unknown)");
  }
}
