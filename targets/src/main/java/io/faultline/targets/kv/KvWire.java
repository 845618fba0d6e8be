package io.faultline.targets.kv;

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
 * The binary building blocks of the bundled key/value protocols' messages and storage records.
 * Strings are a length and UTF-8 bytes (no 64 KiB limit, unlike writeUTF); every count is checked
 * against the bytes left, so a corrupt length fails fast instead of allocating gigabytes.
 */
public final class KvWire {
  private static final byte NOOP = 0;
  private static final byte PUT = 1;
  private static final byte CAS = 2;
  private static final byte ADD = 3;
  private static final byte READ = 4;
  private static final byte TRANSFER = 5;
  private static final byte READ_ACCOUNTS = 6;
  private static final byte ADJUST = 7;
  private static final byte TXN = 8;

  /** Kinds of value in a state image. */
  private static final byte NUMBER = 0;
  private static final byte SET = 1;
  private static final byte LIST = 2;

  private KvWire() {}

  /** Writes one value to a stream. */
  public interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  /** Reads one value from a stream. */
  public interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  public static byte[] encode(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  /** Decodes all of {@code bytes}; throws IllegalArgumentException on truncated or trailing bytes. */
  public static <T> T decode(byte[] bytes, String what, Reader<T> reader) {
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

  public static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  public static String readString(DataInputStream in) throws IOException {
    int length = count(in, in.readInt(), 1);
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  public static void writeNullableString(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      writeString(out, s);
    }
  }

  public static String readNullableString(DataInputStream in) throws IOException {
    return in.readBoolean() ? readString(in) : null;
  }

  /** One command: a kind byte and its fields. */
  public static void writeCommand(DataOutputStream out, Command c) throws IOException {
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
    } else if (c instanceof Command.Read read) {
      out.writeByte(READ);
      writeString(out, read.key());
    } else if (c instanceof Command.Transfer t) {
      out.writeByte(TRANSFER);
      writeString(out, t.from());
      writeString(out, t.to());
      out.writeLong(t.amount());
      out.writeLong(t.opening());
    } else if (c instanceof Command.Adjust a) {
      out.writeByte(ADJUST);
      writeString(out, a.key());
      out.writeLong(a.delta());
      out.writeLong(a.opening());
    } else if (c instanceof Command.ReadAccounts r) {
      out.writeByte(READ_ACCOUNTS);
      out.writeInt(r.accounts().size());
      for (String a : r.accounts()) writeString(out, a);
      out.writeLong(r.opening());
    } else if (c instanceof Command.Txn t) {
      out.writeByte(TXN);
      out.writeInt(t.ops().size());
      for (Command.Txn.Micro m : t.ops()) {
        writeString(out, m.f());
        writeString(out, m.key());
        out.writeBoolean(m.value() != null);
        if (m.value() != null) out.writeLong(m.value());
      }
    } else {
      throw new IllegalStateException("unknown command " + c);
    }
  }

  public static Command readCommand(DataInputStream in) throws IOException {
    byte kind = in.readByte();
    return switch (kind) {
      case NOOP -> new Command.Noop();
      case PUT -> new Command.Put(readString(in), in.readLong());
      case CAS -> new Command.Cas(readString(in), in.readLong(), in.readLong());
      case ADD -> new Command.Add(readString(in), in.readLong());
      case READ -> new Command.Read(readString(in));
      case ADJUST -> new Command.Adjust(readString(in), in.readLong(), in.readLong());
      case TRANSFER -> new Command.Transfer(readString(in), readString(in), in.readLong(), in.readLong());
      case READ_ACCOUNTS -> {
        int n = count(in, in.readInt(), 4);
        java.util.List<String> accounts = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) accounts.add(readString(in));
        yield new Command.ReadAccounts(accounts, in.readLong());
      }
      case TXN -> {
        int n = count(in, in.readInt(), 9);
        java.util.List<Command.Txn.Micro> ops = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          String f = readString(in);
          String key = readString(in);
          ops.add(new Command.Txn.Micro(f, key, in.readBoolean() ? in.readLong() : null));
        }
        yield new Command.Txn(ops);
      }
      default -> throw new IllegalArgumentException("unknown command kind " + kind);
    };
  }

  /**
   * A state image (see {@link KvStore}): per key, its name, a kind byte, then the number, or the
   * set's size and its elements in ascending order, or the list's size and its elements in order.
   */
  public static void writeState(DataOutputStream out, SortedMap<String, Object> state) throws IOException {
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
      } else if (v instanceof List<?> list) {
        out.writeByte(LIST);
        out.writeInt(list.size());
        for (Object element : list) {
          out.writeLong((Long) element);
        }
      } else {
        throw new IllegalStateException("key " + kv.getKey() + " holds neither a number nor a set: " + v);
      }
    }
  }

  public static SortedMap<String, Object> readState(DataInputStream in) throws IOException {
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
        case LIST -> {
          int size = count(in, in.readInt(), 8);
          List<Long> list = new ArrayList<>(size);
          for (int j = 0; j < size; j++) {
            list.add(in.readLong());
          }
          state.put(key, Collections.unmodifiableList(list));
        }
        default -> throw new IllegalArgumentException("unknown value kind " + kind + " for key " + key);
      }
    }
    return Collections.unmodifiableSortedMap(state);
  }

  /** A count read from the stream, refused when the remaining bytes cannot hold that many items. */
  public static int count(DataInputStream in, int n, int minBytesEach) throws IOException {
    if (n < 0 || (long) n * minBytesEach > in.available()) {
      throw new IllegalArgumentException("bad count " + n + " with " + in.available() + " bytes left");
    }
    return n;
  }
}
