package io.faultline.targets.real;

import io.faultline.targets.node.Storage;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A node's storage as one write-ahead log file, {@code wal.log}, in its data directory. Each
 * record is framed as {@code [length: int][crc32 of length and payload: int][payload]}, big-endian.
 *
 * <p>Contract. A record is durable once {@link #sync} returns ({@code fdatasync}); appends wait in
 * memory until then, so a crash loses a suffix of unsynced records and nothing else. Opening a log
 * keeps the longest prefix of whole, intact records and truncates the rest: a torn or corrupt tail
 * is what a crash in the middle of a write leaves. {@link #rewrite} goes through a temporary file,
 * an atomic rename and an fsync of the directory, so after a crash the log is either entirely the
 * old one or entirely the new one. One process at a time: the directory is locked while open.
 */
final class FileStorage implements Storage, AutoCloseable {
  static final String LOG_FILE = "wal.log";
  static final String TEMP_FILE = "wal.log.tmp";
  static final String LOCK_FILE = "lock";
  static final int HEADER_BYTES = 8;
  // Above this much unsynced data, write it out (without forcing) to bound memory.
  private static final int PENDING_LIMIT = 1 << 20;

  private final Path dir;
  private final Path log;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final Recovery recovery;
  private FileChannel channel;

  /** What opening found: the intact records kept and the bytes of torn or corrupt tail dropped. */
  record Recovery(int records, long keptBytes, long truncatedBytes, boolean createdLog) {}

  private FileStorage(Path dir, FileChannel lockChannel, FileLock lock) throws IOException {
    this.dir = dir;
    this.log = dir.resolve(LOG_FILE);
    this.lockChannel = lockChannel;
    this.lock = lock;
    // A temporary file is a rewrite that never reached its rename: the old log is still whole.
    Files.deleteIfExists(dir.resolve(TEMP_FILE));
    boolean created = !Files.exists(log);
    channel = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
    if (created) fsyncDirectory();
    Scan scan = scan();
    long size = channel.size();
    if (scan.validEnd < size) {
      channel.truncate(scan.validEnd);
      channel.force(true);
    }
    channel.position(scan.validEnd);
    recovery = new Recovery(scan.records.size(), scan.validEnd, size - scan.validEnd, created);
  }

  /**
   * Opens (creating if needed) the log in {@code dir}, truncating a torn or corrupt tail.
   *
   * @throws IOException if the directory cannot be created or written, or another process holds it
   */
  static FileStorage open(Path dir) throws IOException {
    Files.createDirectories(dir);
    FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK_FILE),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (IOException | RuntimeException e) {
      lockChannel.close();
      throw e;
    }
    if (lock == null) {
      lockChannel.close();
      throw new IOException("data directory " + dir + " is in use by another process");
    }
    try {
      return new FileStorage(dir, lockChannel, lock);
    } catch (IOException | RuntimeException e) {
      lock.release();
      lockChannel.close();
      throw e;
    }
  }

  Recovery recovery() {
    return recovery;
  }

  Path logFile() {
    return log;
  }

  @Override
  public void append(byte[] record) {
    byte[] header = header(record);
    pending.write(header, 0, header.length);
    pending.write(record, 0, record.length);
    if (pending.size() >= PENDING_LIMIT) {
      try {
        writePending();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot append to " + log, e);
      }
    }
  }

  @Override
  public void sync() {
    try {
      writePending();
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync " + log, e);
    }
  }

  @Override
  public List<byte[]> readAll() {
    try {
      writePending();
      Scan scan = scan();
      if (scan.validEnd != channel.size()) {
        // Only opening may drop a tail; a bad record now means the file was damaged under us.
        throw new IOException(log + " is corrupt at byte " + scan.validEnd);
      }
      return scan.records;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + log, e);
    }
  }

  @Override
  public void rewrite(List<byte[]> records) {
    // Records appended but not synced are superseded: the caller hands over the whole new log.
    pending.reset();
    Path temp = dir.resolve(TEMP_FILE);
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        for (byte[] record : records) {
          byte[] header = header(record);
          buffer.write(header, 0, header.length);
          buffer.write(record, 0, record.length);
          if (buffer.size() >= PENDING_LIMIT) {
            writeFully(out, buffer.toByteArray());
            buffer.reset();
          }
        }
        writeFully(out, buffer.toByteArray());
        out.force(true);
      }
      Files.move(temp, log, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      // The rename is durable only once the directory is: without this a crash may bring back the
      // old log after the node has moved on.
      fsyncDirectory();
      FileChannel old = channel;
      channel = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE);
      channel.position(channel.size());
      old.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite " + log, e);
    }
  }

  /** Releases the file and the directory lock; unsynced appends are dropped, as a crash would. */
  @Override
  public void close() throws IOException {
    pending.reset();
    try {
      channel.close();
    } finally {
      try {
        if (lock.isValid()) lock.release();
      } finally {
        lockChannel.close();
      }
    }
  }

  private void writePending() throws IOException {
    if (pending.size() == 0) return;
    writeFully(channel, pending.toByteArray());
    pending.reset();
  }

  private static void writeFully(FileChannel out, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) out.write(buffer);
  }

  private void fsyncDirectory() throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  static byte[] header(byte[] record) {
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    header.putInt(record.length);
    header.putInt(checksum(record.length, record));
    return header.array();
  }

  static int checksum(int length, byte[] payload) {
    CRC32 crc = new CRC32();
    crc.update(ByteBuffer.allocate(4).putInt(length).array());
    crc.update(payload);
    return (int) crc.getValue();
  }

  private record Scan(List<byte[]> records, long validEnd) {}

  /** Reads whole, intact records from the start; stops at the first torn or corrupt one. */
  private Scan scan() throws IOException {
    long size = channel.size();
    List<byte[]> records = new ArrayList<>();
    long position = 0;
    try (InputStream file = Files.newInputStream(log);
         DataInputStream in = new DataInputStream(new BufferedInputStream(file, 1 << 16))) {
      while (size - position >= HEADER_BYTES) {
        int length = in.readInt();
        int crc = in.readInt();
        if (length < 0 || length > size - position - HEADER_BYTES) break;
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (checksum(length, payload) != crc) break;
        records.add(payload);
        position += HEADER_BYTES + length;
      }
    } catch (EOFException e) {
      // The file is shorter than its size said a moment ago; what was read so far stands.
    }
    return new Scan(records, position);
  }
}
