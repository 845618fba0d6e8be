package io.faultline.checkers.history;

/**
 * A history that cannot be read or cannot have happened. The message names the source, the line and
 * what was expected, in one line, so that a command can print it as it is.
 */
public class HistoryException extends RuntimeException {
  private final String source;
  private final int line;

  public HistoryException(String source, int line, String problem) {
    super(format(source, line, problem));
    this.source = source;
    this.line = line;
  }

  public HistoryException(String source, int line, String problem, Throwable cause) {
    super(format(source, line, problem), cause);
    this.source = source;
    this.line = line;
  }

  /** The message a HistoryException of these would have: for warnings, which are not thrown. */
  static String format(String source, int line, String problem) {
    StringBuilder sb = new StringBuilder();
    if (source != null) sb.append(source);
    if (line > 0) sb.append(sb.length() > 0 ? ":" : "line ").append(line);
    if (sb.length() > 0) sb.append(": ");
    return sb.append(problem).toString();
  }

  public String source() {
    return source;
  }

  /** The line in the source, or 0 when not known. */
  public int line() {
    return line;
  }
}
