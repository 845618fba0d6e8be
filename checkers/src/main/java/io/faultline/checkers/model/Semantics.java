package io.faultline.checkers.model;

/**
 * What two readings of a history disagree on, made explicit. Jepsen and Knossos read a {@code nil}
 * read as "any value" and a failed operation as "did not happen"; Porcupine reads a {@code nil} read
 * as "the key is absent" and a failed compare-and-set as "observed a different value".
 *
 * @param nilRead how an {@code ok} read of {@code nil} constrains the state
 * @param failedOp what a {@code fail} completion means
 */
public record Semantics(NilRead nilRead, FailedOp failedOp) {

  /** The meaning of an {@code ok} read whose value is nil. */
  public enum NilRead {
    /** Nil matches any state (Knossos). */
    WILDCARD,
    /** Nil means the register or key holds nothing (Porcupine, Faultline's own clients). */
    ABSENT
  }

  /** The meaning of a {@code fail} completion. */
  public enum FailedOp {
    /** The operation certainly did not take effect; it is dropped before checking (Jepsen). */
    DID_NOT_HAPPEN,
    /**
     * The operation took effect as an observation: a failed compare-and-set saw a value other than
     * the expected one and changed nothing (Porcupine). Failed reads and writes change nothing.
     */
    OBSERVED
  }

  /** Knossos's meaning: the default for EDN. */
  public static final Semantics JEPSEN = new Semantics(NilRead.WILDCARD, FailedOp.DID_NOT_HAPPEN);

  /** Porcupine's meaning: the default for its log and key/value formats. */
  public static final Semantics PORCUPINE = new Semantics(NilRead.ABSENT, FailedOp.OBSERVED);

  /**
   * Faultline's own histories: a nil read means absent (its clients say so explicitly) and a failed
   * operation did not happen (the client contract).
   */
  public static final Semantics FAULTLINE = new Semantics(NilRead.ABSENT, FailedOp.DID_NOT_HAPPEN);

  public Semantics withNilRead(NilRead n) {
    return new Semantics(n, failedOp);
  }

  public Semantics withFailedOp(FailedOp f) {
    return new Semantics(nilRead, f);
  }
}
