package io.faultline.checkers.history;

import java.io.Reader;

/**
 * Passes EDN text through while counting how deep its collections nest, and stops the read with a
 * {@link HistoryException} once they nest deeper than {@link HistoryReader#MAX_DEPTH}. Clojure's EDN
 * reader recurses once per level and has no limit of its own, so without this a few thousand
 * {@code [} overflow the stack instead of being refused as malformed.
 *
 * <p>The count is lexical and sees the text as it comes, before any reader above has parsed it:
 * brackets in strings, in comments and as character literals ({@code \[}) do not count. A closing
 * bracket that closes nothing is left for the EDN reader to report.
 */
final class EdnDepthReader extends WatchingReader {
  private final String source;
  private int line;
  private int depth;
  private boolean inString;
  private boolean escaped;
  private boolean inComment;
  private boolean charLiteral;

  /** @param firstLine the line of the source where the text starts */
  EdnDepthReader(Reader in, String source, int firstLine) {
    super(in);
    this.source = source;
    this.line = firstLine;
  }

  @Override
  void see(char c) {
    if (c == '\n') line++;
    if (inComment) {
      if (c == '\n' || c == '\r') inComment = false;
    } else if (charLiteral) {
      charLiteral = false;
    } else if (inString) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        inString = false;
      }
    } else {
      switch (c) {
        case '"' -> inString = true;
        case ';' -> inComment = true;
        case '\\' -> charLiteral = true;
        case '[', '(', '{' -> {
          if (++depth > HistoryReader.MAX_DEPTH) throw HistoryReader.tooDeep(source, line);
        }
        case ']', ')', '}' -> depth = Math.max(0, depth - 1);
        default -> { }
      }
    }
  }
}
