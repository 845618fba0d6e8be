package io.faultline.targets.real;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The node-to-node wire format: {@code [length: int][crc32 of length and body: int][body]},
 * big-endian, where the body's first byte says what it is: a hello naming the sender (the first
 * frame on every connection), a heartbeat (keeps an idle connection provably alive), or a message
 * (the protocol codec's bytes).
 *
 * <p>The checksum is there because a proxy that partitions by dropping bytes can resume forwarding
 * in the middle of a frame; the receiver must see garbage as garbage and reconnect, never hand it
 * to the node or wait forever for a length it misread.
 */
final class Frames {
  static final byte HELLO = 1;
  static final byte HEARTBEAT = 2;
  static final byte MESSAGE = 3;
  /** Larger than any sane message (snapshots included); a bigger length is a desynchronised stream. */
  static final int MAX_BODY = 64 << 20;
  private static final byte[] HELLO_MAGIC = "faultline-node/1 ".getBytes(StandardCharsets.US_ASCII);

  private Frames() {}

  /** One frame as read: its kind and, without the kind byte, its payload. */
  record Frame(byte kind, byte[] payload) {}

  static void write(DataOutputStream out, byte kind, byte[] payload) throws IOException {
    int length = payload.length + 1;
    out.writeInt(length);
    out.writeInt(checksum(length, kind, payload));
    out.writeByte(kind);
    out.write(payload);
  }

  static void writeHello(DataOutputStream out, String senderId) throws IOException {
    byte[] id = senderId.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[HELLO_MAGIC.length + id.length];
    System.arraycopy(HELLO_MAGIC, 0, payload, 0, HELLO_MAGIC.length);
    System.arraycopy(id, 0, payload, HELLO_MAGIC.length, id.length);
    write(out, HELLO, payload);
  }

  /** Reads one frame; an impossible length, a bad checksum or an unknown kind is an IOException. */
  static Frame read(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 1 || length > MAX_BODY) {
      throw new IOException("bad frame length " + length + " (stream out of step?)");
    }
    int crc = in.readInt();
    byte kind = in.readByte();
    byte[] payload = new byte[length - 1];
    in.readFully(payload);
    if (checksum(length, kind, payload) != crc) {
      throw new IOException("frame checksum mismatch (stream out of step?)");
    }
    if (kind != HELLO && kind != HEARTBEAT && kind != MESSAGE) {
      throw new IOException("unknown frame kind " + kind);
    }
    return new Frame(kind, payload);
  }

  /** The sender's id from a hello frame's payload. */
  static String helloSender(byte[] payload) throws IOException {
    if (payload.length <= HELLO_MAGIC.length) throw new IOException("not a faultline node hello");
    for (int i = 0; i < HELLO_MAGIC.length; i++) {
      if (payload[i] != HELLO_MAGIC[i]) throw new IOException("not a faultline node hello");
    }
    return new String(payload, HELLO_MAGIC.length, payload.length - HELLO_MAGIC.length, StandardCharsets.UTF_8);
  }

  private static int checksum(int length, byte kind, byte[] payload) {
    CRC32 crc = new CRC32();
    crc.update(length >>> 24);
    crc.update(length >>> 16);
    crc.update(length >>> 8);
    crc.update(length);
    crc.update(kind);
    crc.update(payload);
    return (int) crc.getValue();
  }
}
