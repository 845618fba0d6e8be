package io.faultline.targets.raft;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The binary building blocks shared by the message codec and the storage records. Strings are a
 * length and UTF-8 bytes (no 64 KiB limit, unlike writeUTF); every count is checked against the
 * bytes left, so a corrupt length fails fast instead of allocating gigabytes.
 */
final class Wire {
  private static final byte NOOP = 0;
  private static final byte PUT = 1;
  private static final byte CAS = 2;
  private static final byte ADD = 3;

  /** Kinds of value in a state image. */
  private static final byte NUMBER = 0;
  private static final byte SET = 1;

  private Wire() {}

  interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  static byte[] encode(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  /** Decodes all of {@code bytes}; throws IllegalArgumentException on truncated or trailing bytes. */
  static <T> T decode(byte[] bytes, String what, Reader<T> reader) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      T value = reader.read(in);
      if (in.available() != 0) {
        throw new IllegalArgumentException(what + ": " + in.available() + " trailing bytes");
      }
      return value;
    } catch (IOException | RuntimeException e) {
      String why = e instanceof IllegalArgumentException ? e.getMessage() : "malformed (" + e + ")";
      throw new IllegalArgumentException(what + ": " + why, e);
    }
  }

  static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  static String readString(DataInputStream in) throws IOException {
    int length = count(in, in.readInt(), 1);
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  static void writeNullableString(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      writeString(out, s);
    }
  }

  static String readNullableString(DataInputStream in) throws IOException {
    return in.readBoolean() ? readString(in) : null;
  }

  static void writeEntries(DataOutputStream out, List<Entry> entries) throws IOException {
    out.writeInt(entries.size());
    for (Entry e : entries) {
      out.writeLong(e.index());
      out.writeLong(e.term());
      Command c = e.command();
      if (c instanceof Command.Noop) {
        out.writeByte(NOOP);
      } else if (c instanceof Command.Put put) {
        out.writeByte(PUT);
        writeString(out, put.key());
        out.writeLong(put.value());
      } else if (c instanceof Command.Cas cas) {
        out.writeByte(CAS);
        writeString(out, cas.key());
        out.writeLong(cas.expected());
        out.writeLong(cas.value());
      } else if (c instanceof Command.Add add) {
        out.writeByte(ADD);
        writeString(out, add.key());
        out.writeLong(add.element());
      } else {
        throw new IllegalStateException("unknown command " + c);
      }
    }
  }

  static List<Entry> readEntries(DataInputStream in) throws IOException {
    int n = count(in, in.readInt(), 17);
    List<Entry> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long index = in.readLong();
      long term = in.readLong();
      byte kind = in.readByte();
      Command c;
      switch (kind) {
        case NOOP -> c = new Command.Noop();
        case PUT -> c = new Command.Put(readString(in), in.readLong());
        case CAS -> c = new Command.Cas(readString(in), in.readLong(), in.readLong());
        case ADD -> c = new Command.Add(readString(in), in.readLong());
        default -> throw new IllegalArgumentException("unknown command kind " + kind);
      }
      entries.add(new Entry(index, term, c));
    }
    return entries;
  }

  /**
   * A state image (see {@link KvStore}): per key, its name, a kind byte, then the number, or the
   * set's size and its elements in ascending order.
   */
  static void writeState(DataOutputStream out, SortedMap<String, Object> state) throws IOException {
    out.writeInt(state.size());
    for (Map.Entry<String, Object> kv : state.entrySet()) {
      writeString(out, kv.getKey());
      Object v = kv.getValue();
      if (v instanceof Long number) {
        out.writeByte(NUMBER);
        out.writeLong(number);
      } else if (v instanceof SortedSet<?> set) {
        out.writeByte(SET);
        out.writeInt(set.size());
        for (Object element : set) {
          out.writeLong((Long) element);
        }
      } else {
        throw new IllegalStateException("key " + kv.getKey() + " holds neither a number nor a set: " + v);
      }
    }
  }

  static SortedMap<String, Object> readState(DataInputStream in) throws IOException {
    int n = count(in, in.readInt(), 9);
    TreeMap<String, Object> state = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      String key = readString(in);
      byte kind = in.readByte();
      switch (kind) {
        case NUMBER -> state.put(key, in.readLong());
        case SET -> {
          int size = count(in, in.readInt(), 8);
          TreeSet<Long> set = new TreeSet<>();
          for (int j = 0; j < size; j++) {
            set.add(in.readLong());
          }
          state.put(key, Collections.unmodifiableSortedSet(set));
        }
        default -> throw new IllegalArgumentException("unknown value kind " + kind + " for key " + key);
      }
    }
    return Collections.unmodifiableSortedMap(state);
  }

  /** A count read from the stream, refused when the remaining bytes cannot hold that many items. */
  private static int count(DataInputStream in, int n, int minBytesEach) throws IOException {
    if (n < 0 || (long) n * minBytesEach > in.available()) {
      throw new IllegalArgumentException("bad count " + n + " with " + in.available() + " bytes left");
    }
    return n;
  }
}
