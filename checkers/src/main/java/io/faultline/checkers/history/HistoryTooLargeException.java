package io.faultline.checkers.history;

/**
 * A history longer than the reader was allowed to read. Not a malformed history: nothing is known
 * to be wrong with it, it is only more than the memory a check may take can hold, so a command
 * reports it as unknown rather than as bad input.
 */
public final class HistoryTooLargeException extends RuntimeException {
  private final int line;
  private final long limitChars;

  HistoryTooLargeException(String source, int line, long limitChars) {
    super((source == null ? "" : source + ": ") + "stopped reading at line " + line + ", past "
        + limitChars + " characters");
    this.line = line;
    this.limitChars = limitChars;
  }

  /** The line being read when the limit was reached. */
  public int line() {
    return line;
  }

  /** How many characters the reader was allowed. */
  public long limitChars() {
    return limitChars;
  }
}
