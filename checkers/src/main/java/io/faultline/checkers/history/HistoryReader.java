package io.faultline.checkers.history;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads a history file in any {@link HistoryFormat} into a validated {@link History}.
 *
 * <p>Contract: every record carries the 1-based line of the source where it starts, and its index is
 * its position unless the file gave one. Anything that cannot be read, or cannot have happened (a
 * process with two open operations, a completion with no invocation), is a {@link HistoryException}
 * whose one-line message names the source, the line and what was expected there, so that a command
 * can print it as it is. An {@link IOException} means the file itself could not be read.
 *
 * <p>The files are UTF-8. Reading EDN or Porcupine's key/value format loads Clojure's runtime on first
 * use (the better part of a second, once); the other formats never touch it.
 */
public final class HistoryReader {
  private HistoryReader() {}

  /** A Jepsen log line, anywhere on the line, since full logs prefix a timestamp. */
  private static final Pattern JEPSEN_LOG_LINE = Pattern.compile("\\bINFO\\s+jepsen\\.util\\b");

  /** The fixed shape of Porcupine's key/value records, which tells them from Jepsen's EDN maps. */
  private static final Pattern KV_LINE = Pattern.compile(
      "\\{:process\\s+-?\\d+,?\\s+:type\\s+:[\\w-]+,?\\s+:f\\s+:(get|put|append),?\\s+:key\\s+\"");

  /** How far into a file to look for Jepsen op lines when it starts with other log lines. */
  private static final int LOG_LOOKAHEAD_LINES = 1000;

  /**
   * How deep collections may nest in a history, counting every bracket open at that point (an EDN
   * history's own vector and the op map too). An op's value nests a few levels (a transaction is a
   * list of lists); the bound is far above that and far below where the parsers, which recurse once
   * a level, or anything that walks the values would run out of stack.
   */
  public static final int MAX_DEPTH = 100;

  /**
   * The longest line a history may have. A record is one operation: the longest line of the shared
   * real histories is 4 KB, and the longest Faultline writes, a set's final read, holds about a
   * million elements in this. Every reader holds a whole line before it looks at it, so a file
   * without line breaks (gigabytes of NULs, {@code /dev/zero}) is refused here, not read until the
   * heap runs out.
   */
  public static final int MAX_LINE_CHARS = 8 << 20;

  /** The one-line message for a record nested deeper than {@link #MAX_DEPTH}, at the given line. */
  static HistoryException tooDeep(String source, int line) {
    return new HistoryException(source, line, "nested deeper than " + MAX_DEPTH + " levels; an op's"
        + " value nests a few, so this is not a history or a damaged one");
  }

  /**
   * Tells the format from the content: the first line that is neither blank nor a {@code ;} comment
   * decides. A map in Porcupine's key/value shape means {@link HistoryFormat#PORCUPINE_KV};
   * {@code {"} means JSON lines; any other {@code [}, {@code (} or {@code {:} (or a leading {@code ;}
   * comment) means EDN; {@code INFO jepsen.util} log lines mean {@link HistoryFormat#JEPSEN_LOG}, also
   * when other log lines come first. An empty file is an empty JSON-lines history.
   *
   * @throws HistoryException when the content looks like none of them
   */
  public static HistoryFormat detect(Path file) throws IOException {
    String source = file.toString();
    try (BufferedReader in = new BufferedReader(open(file, Long.MAX_VALUE))) {
      return detect(source, in);
    } catch (CharacterCodingException e) {
      throw notUtf8(source, e);
    }
  }

  static HistoryFormat detect(String source, BufferedReader in) throws IOException {
    boolean sawComment = false;
    String first = null;
    int firstLine = 0;
    int lineNo = 0;
    for (String text; (text = in.readLine()) != null; ) {
      lineNo++;
      if (lineNo == 1) text = stripBom(text);
      String t = text.strip();
      if (t.isEmpty()) continue;
      if (t.startsWith(";")) {
        sawComment = true;
        continue;
      }
      first = t;
      firstLine = lineNo;
      break;
    }
    if (first == null) return sawComment ? HistoryFormat.EDN : HistoryFormat.JSONL;
    if (KV_LINE.matcher(first).lookingAt()) return HistoryFormat.PORCUPINE_KV;
    // JSON lines never have comments, so a commented file is EDN whatever follows.
    if (sawComment) return HistoryFormat.EDN;
    if (first.startsWith("{")) {
      String rest = first.substring(1).stripLeading();
      return rest.startsWith("\"") || rest.startsWith("}") ? HistoryFormat.JSONL : HistoryFormat.EDN;
    }
    if (first.startsWith("[") || first.startsWith("(") || first.startsWith("#_")) {
      return HistoryFormat.EDN;
    }
    if (JEPSEN_LOG_LINE.matcher(first).find()) return HistoryFormat.JEPSEN_LOG;
    // A whole Jepsen log opens with lines that are not ops; look a little further for some.
    int looked = 0;
    for (String text; looked < LOG_LOOKAHEAD_LINES && (text = in.readLine()) != null; looked++) {
      if (JEPSEN_LOG_LINE.matcher(text).find()) return HistoryFormat.JEPSEN_LOG;
    }
    throw new HistoryException(source, firstLine, "cannot tell the history format: expected a JSON"
        + " object, an EDN vector, list or map, or Jepsen log lines (INFO jepsen.util - ...), got "
        + OpRecords.briefText(first));
  }

  /**
   * Reads and validates a history file.
   *
   * @param format the format, or null to {@linkplain #detect(Path) detect} it from the content
   * @throws HistoryException naming the file and line when the content is malformed or impossible
   */
  public static History read(Path file, HistoryFormat format) throws IOException {
    return read(file, format, Long.MAX_VALUE, false);
  }

  /**
   * Reads and validates a history file of at most {@code maxChars} characters. A check that may
   * hold a given memory sets this to that budget: what the text becomes (records, then operations)
   * takes more bytes than the text has characters, so a longer text cannot be checked within it,
   * and an endless stream ends here rather than in an OutOfMemoryError.
   *
   * <p>What the reader lets pass but notes in {@link History#warnings()} (a torn last line, which it
   * drops; indices or times out of order) is, when {@code strict}, a {@link HistoryException} instead.
   *
   * @throws HistoryTooLargeException when the text goes on past {@code maxChars}
   */
  public static History read(Path file, HistoryFormat format, long maxChars, boolean strict)
      throws IOException {
    return read(file, format, maxChars, strict, true);
  }

  /**
   * As {@link #read(Path, HistoryFormat, long, boolean)}, but the records are left
   * {@linkplain History#unpaired unpaired}: for transactional histories, which may hold completions
   * with no invocations.
   */
  public static History readUnpaired(Path file, HistoryFormat format, long maxChars, boolean strict)
      throws IOException {
    return read(file, format, maxChars, strict, false);
  }

  private static History read(Path file, HistoryFormat format, long maxChars, boolean strict, boolean paired)
      throws IOException {
    String source = file.toString();
    HistoryFormat f = format != null ? format : detect(file);
    if (f == HistoryFormat.JSONL && Files.isRegularFile(file)) {
      List<Op> ops = JsonRecords.readFile(file, maxChars);
      if (ops != null) {
        List<String> warnings = new ArrayList<>();
        warnOfOrder(source, ops, strict, warnings);
        return history(source, ops, paired).withWarnings(warnings);
      }
    }
    try (Reader in = open(file, maxChars)) {
      return read(source, in, f, strict, paired);
    } catch (CharacterCodingException e) {
      throw notUtf8(source, e);
    }
  }

  private static History history(String source, List<Op> ops, boolean paired) {
    return paired ? History.of(source, ops) : History.unpaired(source, ops);
  }

  /**
   * Reads and validates a history from any character stream; the stream is read to its end and not
   * closed.
   *
   * @param sourceName the name used in messages and kept as {@link History#source()}
   * @param format the format, or null to detect it from the content (which is then held in memory)
   */
  public static History read(String sourceName, Reader in, HistoryFormat format) throws IOException {
    return read(sourceName, in, format, false, true);
  }

  /** As {@link #read(String, Reader, HistoryFormat)}, with the records left {@linkplain History#unpaired unpaired}. */
  public static History readUnpaired(String sourceName, Reader in, HistoryFormat format) throws IOException {
    return read(sourceName, in, format, false, false);
  }

  private static History read(String sourceName, Reader in, HistoryFormat format, boolean strict, boolean paired)
      throws IOException {
    BoundedReader content = in instanceof BoundedReader b ? b : new BoundedReader(in, sourceName, Long.MAX_VALUE);
    if (format == null) {
      StringWriter all = new StringWriter();
      content.transferTo(all);
      String text = all.toString();
      format = detect(sourceName, new BufferedReader(new StringReader(text)));
      content = new BoundedReader(new StringReader(text), sourceName, Long.MAX_VALUE);
    }
    List<String> warnings = new ArrayList<>();
    List<Op> ops = switch (format) {
      case JSONL -> JsonRecords.read(sourceName, content, strict, warnings);
      case EDN -> EdnRecords.readEdn(sourceName, content);
      case PORCUPINE_KV -> EdnRecords.readKv(sourceName, content);
      case JEPSEN_LOG -> JepsenLogRecords.read(sourceName, content);
    };
    warnOfOrder(sourceName, ops, strict, warnings);
    return history(sourceName, ops, paired).withWarnings(warnings);
  }

  /**
   * Notes indices that do not increase and times that go back. A history is checked in the order of
   * its records; indices and times that contradict that order mean a file merged, edited or written
   * by a buggy recorder, which a verdict should not silently build on. One warning each, at the
   * first place, with a count of the others; records without an index or a time are passed over.
   * When strict, the first such place is an error.
   */
  static void warnOfOrder(String source, List<Op> ops, boolean strict, List<String> warnings) {
    Op indexed = null;
    Op timed = null;
    String index = null;
    String time = null;
    int indices = 0;
    int times = 0;
    long mostBack = 0;
    for (Op op : ops) {
      if (op.index() >= 0) {
        if (indexed != null && op.index() <= indexed.index() && indices++ == 0) {
          index = op.index() == indexed.index()
              ? "duplicate index " + op.index() + ", as at line " + indexed.line()
              : "index " + op.index() + " after index " + indexed.index() + " at line " + indexed.line();
          if (strict) throw new HistoryException(source, op.line(), index + INDEX_FIX + STRICT);
          index = HistoryException.format(source, op.line(), index);
        }
        indexed = op;
      }
      if (op.time() >= 0) {
        if (timed != null && op.time() < timed.time()) {
          long back = timed.time() - op.time();
          mostBack = Math.max(mostBack, back);
          if (times++ == 0) {
            time = "time " + op.time() + " is " + nanos(back) + " before the " + timed.time() + " at line "
                + timed.line();
            if (strict) throw new HistoryException(source, op.line(), time + TIME_FIX + STRICT);
            time = HistoryException.format(source, op.line(), time);
          }
        }
        timed = op;
      }
    }
    if (indices > 0) warnings.add(index + more(indices) + INDEX_FIX);
    // The size tells a recorder's jitter from disorder: Jepsen takes an op's time before it appends
    // the op, so its histories have times a fraction of a millisecond out of order.
    if (times > 0) {
      warnings.add(time + (times == 1 ? "" : " (and " + (times - 1) + " more place" + (times == 2 ? "" : "s")
          + ", up to " + nanos(mostBack) + " back)") + TIME_FIX);
    }
  }

  /** A span of nanoseconds for people. */
  private static String nanos(long ns) {
    if (ns < 1_000) return ns + " ns";
    if (ns < 1_000_000) return String.format(Locale.ROOT, "%.1f us", ns / 1e3);
    if (ns < 1_000_000_000) return String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
    return String.format(Locale.ROOT, "%.1f s", ns / 1e9);
  }

  private static final String INDEX_FIX = "; expected indices that increase down the file";
  private static final String TIME_FIX = "; records are checked in file order, not by time";

  /** Said of what strictness turned from a warning into an error. */
  static final String STRICT = " (refused under --strict)";

  private static String more(int places) {
    return places == 1 ? "" : " (and " + (places - 1) + " more place" + (places == 2 ? "" : "s") + ")";
  }

  /**
   * Strict UTF-8: a file in another encoding fails loudly instead of reading as mangled values.
   * Bounded (see {@link BoundedReader}), so that no line and no file is read past what can be held.
   */
  private static BoundedReader open(Path file, long maxChars) throws IOException {
    return new BoundedReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString(), maxChars);
  }

  private static HistoryException notUtf8(String source, CharacterCodingException e) {
    return new HistoryException(source, 0, "expected UTF-8 text, got bytes that are not UTF-8 ("
        + e + ")", e);
  }

  /** Drops a byte-order mark, which some editors put at the start of a UTF-8 file. */
  static String stripBom(String firstLine) {
    return !firstLine.isEmpty() && firstLine.charAt(0) == '\uFEFF' ? firstLine.substring(1) : firstLine;
  }
}
