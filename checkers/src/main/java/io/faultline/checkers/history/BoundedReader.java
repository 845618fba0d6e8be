package io.faultline.checkers.history;

import java.io.Reader;

/**
 * Passes a history's text through, refusing a line longer than {@link HistoryReader#MAX_LINE_CHARS}
 * and a text longer than a limit, and remembering whether the text ended with a line break.
 *
 * <p>Every reader below this one buffers a whole line (or a whole EDN value) before it looks at it,
 * so without these bounds a file with no line breaks (2 GB of NULs, {@code /dev/zero}) is read into
 * memory until the heap runs out. The counts are of the text itself, not of what a reader above has
 * asked for, so the line named is the line where the bound was crossed.
 */
final class BoundedReader extends WatchingReader {
  private final String source;
  private final long maxChars;
  private long chars;
  private int line = 1;
  private int lineChars;
  private int last = -1;

  /**
   * @param maxChars how much text may be read in all; past it the read stops with a
   *     {@link HistoryTooLargeException}
   */
  BoundedReader(Reader in, String source, long maxChars) {
    super(in);
    this.source = source;
    this.maxChars = maxChars;
  }

  @Override
  void see(char c) {
    if (++chars > maxChars) throw new HistoryTooLargeException(source, line, maxChars);
    // "\r\n" is one break, as BufferedReader.readLine counts it.
    if (c == '\n' && last == '\r') {
      last = c;
      return;
    }
    last = c;
    if (c == '\n' || c == '\r') {
      line++;
      lineChars = 0;
    } else if (++lineChars > HistoryReader.MAX_LINE_CHARS) {
      throw new HistoryException(source, line, "more than " + HistoryReader.MAX_LINE_CHARS
          + " characters on one line (" + (HistoryReader.MAX_LINE_CHARS >> 20) + " MiB) without a line"
          + " break; a history holds a record a line, so this is not a history or a damaged one");
    }
  }

  /** True when the text read so far ends with a line break, or is empty. */
  boolean endsWithLineBreak() {
    return last == -1 || last == '\n' || last == '\r';
  }
}
