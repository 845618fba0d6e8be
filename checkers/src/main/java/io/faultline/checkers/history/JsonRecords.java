package io.faultline.checkers.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Faultline's JSON-lines records, both ways. One object per line, so that a history streamed to disk
 * by a controller that then crashed is still readable up to its last complete line.
 */
final class JsonRecords {
  private JsonRecords() {}

  /**
   * Strict on what could silently change a record: a second object on one line or a repeated field
   * is an error rather than a record that quietly keeps one of the two. Nesting is bounded as the
   * EDN reader bounds it ({@link HistoryReader#MAX_DEPTH}), far below Jackson's own default.
   */
  private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(HistoryReader.MAX_DEPTH).build())
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  /**
   * The same bounds for the streaming parse of a record: a record goes straight from tokens to plain
   * data, with no tree in between, which reads a large history in about half the time.
   */
  private static final JsonFactory RECORDS = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(HistoryReader.MAX_DEPTH).build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  /** Returned by {@link #parseRecord} for a line that holds JSON but not an object. */
  private static final Object NOT_AN_OBJECT = new Object();

  /**
   * Reads records, one a line. The last line is dropped, with a warning, when it is malformed and
   * has no line break after it: what a recorder that crashed mid-write leaves, as a write-ahead log
   * drops a torn last entry. A malformed line anywhere else, or one that ends with its line break,
   * was written whole and is an error.
   */
  static List<Op> read(String source, BoundedReader in, boolean strict, List<String> warnings)
      throws IOException {
    BufferedReader lines = new BufferedReader(in);
    List<Op> ops = new ArrayList<>();
    int lineNo = 0;
    // One line ahead, to know the last line when it comes.
    for (String text = lines.readLine(), next; text != null; text = next) {
      next = lines.readLine();
      lineNo++;
      if (lineNo == 1) text = HistoryReader.stripBom(text);
      if (text.isBlank()) continue;
      Object record;
      try {
        record = parseRecord(text, lineNo);
      } catch (JsonProcessingException e) {
        // Jackson tells its bounds apart only by the message.
        if (e instanceof StreamConstraintsException && String.valueOf(e.getOriginalMessage()).contains("nesting")) {
          throw HistoryReader.tooDeep(source, lineNo);
        }
        JsonLocation at = e.getLocation();
        String column = at != null && at.getColumnNr() > 0 ? " at column " + at.getColumnNr() : "";
        String why = String.valueOf(e.getOriginalMessage()).replace('\n', ' ').replace('\r', ' ');
        boolean torn = next == null && !in.endsWithLineBreak();
        if (torn && !strict) {
          warnings.add(HistoryException.format(source, lineNo, "dropped the last line, cut off before its"
              + " end (no line break, malformed JSON" + column + "), as a crash mid-write leaves it; the"
              + " records before it are checked"));
          break;
        }
        throw new HistoryException(source, lineNo, "expected one JSON object per line, got malformed JSON"
            + column + ": " + why + (torn ? "; a torn last line" + HistoryReader.STRICT : ""), e);
      }
      if (record == NOT_AN_OBJECT) {
        throw new HistoryException(source, lineNo,
            "expected one JSON object per line, got " + OpRecords.briefText(text.strip()));
      }
      ops.add(record instanceof Op op ? op : OpRecords.fromMap(source, lineNo, record, OpRecords.Dialect.JSON));
    }
    return ops;
  }

  /**
   * One line's record: an {@link Op} when it is a plain one, else its object as plain data (as
   * {@link #toJava}) for {@link OpRecords#fromMap} to read or to name what is wrong with it, or
   * {@link #NOT_AN_OBJECT}.
   *
   * @throws JsonProcessingException when the line is not JSON, or holds more than one value
   */
  private static Object parseRecord(String text, int lineNo) throws IOException {
    try (JsonParser p = RECORDS.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return NOT_AN_OBJECT;
      Op op = plainRecord(p, lineNo);
      if (op != null) {
        if (p.nextToken() != null) {
          throw new JsonParseException(p, "a second value after the object (one object per line)");
        }
        return op;
      }
    }
    try (JsonParser p = RECORDS.createParser(text)) {
      p.nextToken();
      Object record = value(p);
      if (p.nextToken() != null) {
        throw new JsonParseException(p, "a second value after the object (one object per line)");
      }
      return record;
    }
  }

  /**
   * The record at the parser's object, read field by field straight into an {@link Op}, with no map
   * in between (a large history reads in a fraction of the time); null at the first field that is not
   * as a plain record has it (a type that is not one of the four, a process that is neither an
   * integer nor a name, a missing one), so that the record is read again the slow way and the error,
   * if any, is the one {@link OpRecords#fromMap} gives.
   */
  private static final List<String> FIELDS = List.of("type", "process", "f", "node", "time", "index", "key", "value", "error");

  private static Op plainRecord(JsonParser p, int lineNo) throws IOException {
    OpType type = null;
    Object process = null;
    String f = null;
    String node = null;
    long time = -1;
    long index = -1;
    Object key = null;
    Object value = null;
    Object error = null;
    int seen = 0;
    List<String> others = null;
    for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
      JsonToken t = p.nextToken();
      int bit = FIELDS.indexOf(field);
      if (bit >= 0) {
        if ((seen & (1 << bit)) != 0) return null; // a repeated field: the careful parse names it
        seen |= 1 << bit;
      } else {
        if (others == null) others = new ArrayList<>(2);
        if (others.contains(field)) return null;
        others.add(field);
      }
      switch (field) {
        case "type" -> {
          type = t == JsonToken.VALUE_STRING ? OpType.fromWire(p.getText()) : null;
          if (type == null) return null;
        }
        case "process" -> {
          if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            process = NUMBERS.of(p.getLongValue());
          } else if (t == JsonToken.VALUE_STRING && p.getTextLength() > 0) {
            process = NAMES.name(p.getText());
          } else {
            return null;
          }
        }
        case "f", "node" -> {
          String name = t == JsonToken.VALUE_STRING ? NAMES.name(p.getText()) : null;
          if (name == null && t != JsonToken.VALUE_NULL) return null;
          if (field.equals("f")) {
            f = name;
          } else {
            node = name;
          }
        }
        case "time", "index" -> {
          long n = -1;
          if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            n = p.getLongValue();
            if (n < 0) return null;
          } else if (t != JsonToken.VALUE_NULL) {
            return null;
          }
          if (field.equals("time")) {
            time = n;
          } else {
            index = n;
          }
        }
        case "key" -> key = value(p);
        case "value" -> value = value(p);
        case "error" -> error = value(p);
        default -> value(p); // unknown fields are ignored, as fromMap ignores them, once parsed
      }
    }
    if (type == null || process == null) return null;
    return new Op(index, time, type, process, f, key, value, error, node, lineNo);
  }

  /** The value at the parser's current token, its tokens consumed. */
  private static Object value(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case START_OBJECT: {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
          p.nextToken();
          out.put(NAMES.name(field), value(p));
        }
        return Collections.unmodifiableMap(out);
      }
      case START_ARRAY: {
        List<Object> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) out.add(value(p));
        return Collections.unmodifiableList(out);
      }
      case VALUE_STRING:
        return NAMES.name(p.getText());
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? Values.normalize(p.getBigIntegerValue()) : (Object) NUMBERS.of(p.getLongValue());
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new JsonParseException(p, "unexpected " + p.currentToken());
    }
  }

  /** The careful parse's bounds, without Jackson's duplicate detection: {@link #plainRecord} has its own. */
  private static final JsonFactory FILE_RECORDS = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(HistoryReader.MAX_DEPTH).build())
      .build();

  /** Below this size a file is read in one piece: threads cost more than they save. */
  private static final long CHUNK_BYTES = 8 << 20;

  /**
   * A JSON-lines file read the fast way, or null when anything in it is not plain (a malformed or
   * torn line, a value that is not an object, two on one line, one over several lines, a repeated
   * field, a byte-order mark, text past {@code maxChars}): the careful line-by-line reader then reads
   * it again and says what it says of such files, so the two never disagree on a verdict or an error.
   *
   * <p>Fast: the file is mapped, not decoded into lines of text, one parser reads each piece of it
   * (one per core, split at line breaks) with no parser and no string per line, and records go
   * straight into {@link Op}s.
   */
  static List<Op> readFile(java.nio.file.Path file, long maxChars) {
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
        java.nio.file.StandardOpenOption.READ)) {
      long size = channel.size();
      if (size == 0 || size > maxChars || size > Integer.MAX_VALUE) return null;
      java.nio.ByteBuffer map = channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, size);
      int first = map.get(0) & 0xff;
      // A byte-order mark, or another encoding than UTF-8 (where JSON starts with a zero byte).
      if (first == 0xEF || first == 0xFE || first == 0xFF || first == 0 || size > 1 && map.get(1) == 0) return null;
      int pieces = (int) Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), size / CHUNK_BYTES));
      int[] starts = new int[pieces + 1];
      starts[pieces] = (int) size;
      for (int k = 1; k < pieces; k++) {
        int at = (int) (size * k / pieces);
        while (at < size && map.get(at - 1) != '\n') at++;
        starts[k] = Math.max(at, starts[k - 1]);
      }
      List<java.util.concurrent.CompletableFuture<List<Op>>> parts = new ArrayList<>();
      for (int k = 1; k < pieces; k++) {
        int from = starts[k];
        int to = starts[k + 1];
        parts.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> readPiece(map, from, to),
            command -> {
              Thread t = new Thread(command, "history-reader");
              t.setDaemon(true);
              t.start();
            }));
      }
      List<Op> firstPiece = readPiece(map, 0, starts[1]);
      List<List<Op>> read = new ArrayList<>();
      read.add(firstPiece);
      for (java.util.concurrent.CompletableFuture<List<Op>> part : parts) read.add(part.join());
      int total = 0;
      for (List<Op> piece : read) {
        if (piece == null) return null;
        total += piece.size();
      }
      List<Op> ops = new ArrayList<>(total);
      for (List<Op> piece : read) ops.addAll(piece);
      return ops;
    } catch (IOException | UnsupportedOperationException | java.util.concurrent.CompletionException e) {
      return null;
    }
  }

  /** The records of bytes {@code [from, to)}, which start a line; null when one is not plain. */
  private static List<Op> readPiece(java.nio.ByteBuffer map, int from, int to) {
    int lineOffset = 0;
    // Line breaks as BufferedReader counts them: \n, \r\n or a lone \r.
    for (int i = 0; i < from; i++) {
      byte b = map.get(i);
      if (b == '\n' || b == '\r' && (i + 1 >= map.limit() || map.get(i + 1) != '\n')) lineOffset++;
    }
    java.nio.ByteBuffer piece = map.slice(from, to - from);
    java.io.InputStream in = new java.io.InputStream() {
      @Override
      public int read() {
        return piece.hasRemaining() ? piece.get() & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (!piece.hasRemaining()) return -1;
        int n = Math.min(len, piece.remaining());
        piece.get(b, off, n);
        return n;
      }
    };
    List<Op> out = new ArrayList<>();
    try (JsonParser p = FILE_RECORDS.createParser(in)) {
      int previousLine = 0;
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t != JsonToken.START_OBJECT) return null;
        JsonLocation start = p.currentTokenLocation();
        int line = start.getLineNr();
        if (line <= previousLine) return null;
        Op op = plainRecord(p, lineOffset + line);
        if (op == null) return null;
        JsonLocation end = p.currentLocation();
        if (end.getLineNr() != line || end.getByteOffset() - start.getByteOffset() > HistoryReader.MAX_LINE_CHARS) {
          return null;
        }
        previousLine = line;
        out.add(op);
      }
      return out;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Short strings (field names, functions, types, small values) shared rather than held once per
   * record: a million-operation history repeats a handful of them.
   */
  private static final class Names {
    private static final int MAX_LENGTH = 16;
    private static final int MAX_NAMES = 4096;
    private final java.util.concurrent.ConcurrentHashMap<String, String> names = new java.util.concurrent.ConcurrentHashMap<>();

    String name(String s) {
      if (s.length() > MAX_LENGTH) return s;
      String known = names.get(s);
      if (known != null) return known;
      if (names.size() < MAX_NAMES) names.putIfAbsent(s, s);
      return s;
    }
  }

  private static final Names NAMES = new Names();

  /**
   * Small integers (processes, keys, values) shared rather than boxed once per record, as
   * {@link Long#valueOf} shares only those below 128. Filled as met; a race stores equal values.
   */
  private static final class Numbers {
    private static final int SIZE = 1 << 16;
    private final Long[] boxed = new Long[SIZE];

    Long of(long n) {
      if (n < 0 || n >= SIZE) return n;
      Long known = boxed[(int) n];
      if (known == null) {
        known = n;
        boxed[(int) n] = known;
      }
      return known;
    }
  }

  private static final Numbers NUMBERS = new Numbers();

  /** JSON to plain data: integers to Long (BigInteger past 64 bits), objects to insertion-ordered maps. */
  static Object toJava(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) return null;
    if (n.isTextual()) return n.textValue();
    if (n.isBoolean()) return n.booleanValue();
    if (n.isIntegralNumber()) {
      return n.canConvertToLong() ? (Object) n.longValue() : Values.normalize(n.bigIntegerValue());
    }
    if (n.isNumber()) return n.doubleValue();
    if (n.isArray()) {
      List<Object> out = new ArrayList<>(n.size());
      for (JsonNode e : n) out.add(toJava(e));
      return Collections.unmodifiableList(out);
    }
    if (n.isObject()) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey(), toJava(e.getValue()));
      }
      return Collections.unmodifiableMap(out);
    }
    return n.asText();
  }

  /** One record as one line of JSON, without the line break. */
  static String toLine(Op op) {
    StringWriter out = new StringWriter(96);
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
      g.writeStartObject();
      if (op.index() >= 0) g.writeNumberField("index", op.index());
      if (op.time() >= 0) g.writeNumberField("time", op.time());
      g.writeStringField("type", op.type().wireName());
      g.writeFieldName("process");
      if (op.process() instanceof Long p) {
        g.writeNumber(p);
      } else {
        g.writeString(Values.name(op.process()));
      }
      if (op.f() != null) g.writeStringField("f", op.f());
      if (op.key() != null) {
        g.writeFieldName("key");
        writeValue(g, op.key());
      }
      g.writeFieldName("value");
      writeValue(g, op.value());
      if (op.error() != null) {
        g.writeFieldName("error");
        writeValue(g, op.error());
      }
      if (op.node() != null) g.writeStringField("node", op.node());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a string cannot fail", e);
    }
    return out.toString();
  }

  /**
   * Writes plain data as JSON. JSON has no keywords, sets or ratios: a keyword becomes its name, a
   * set an array, and a number JSON cannot hold exactly (a Clojure ratio) its text.
   */
  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Keyword k) {
      g.writeString(k.name());
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      g.writeNumber(((Number) v).doubleValue());
    } else if (v instanceof BigInteger b) {
      g.writeNumber(b);
    } else if (v instanceof BigDecimal b) {
      g.writeNumber(b);
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        Object k = e.getKey();
        g.writeFieldName(k instanceof String s ? s : k instanceof Keyword kw ? kw.name() : Values.show(k));
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof Collection<?> c) {
      g.writeStartArray();
      for (Object o : c) writeValue(g, o);
      g.writeEndArray();
    } else {
      g.writeString(v.toString());
    }
  }
}
