package io.faultline.targets.real;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write-ahead log file in one process: framing, recovery from damaged tails, rewrite. */
class FileStorageTest {
  @TempDir Path dir;

  private static List<String> text(List<byte[]> records) {
    List<String> out = new ArrayList<>();
    for (byte[] r : records) out.add(new String(r, UTF_8));
    return out;
  }

  private void writeSynced(String... records) throws IOException {
    try (FileStorage s = FileStorage.open(dir)) {
      for (String r : records) s.append(r.getBytes(UTF_8));
      s.sync();
    }
  }

  private long logSize() throws IOException {
    return Files.size(dir.resolve(FileStorage.LOG_FILE));
  }

  @Test
  void syncedRecordsComeBackInOrderAfterReopening() throws IOException {
    writeSynced("a", "", "ccc");
    try (FileStorage s = FileStorage.open(dir)) {
      assertEquals(List.of("a", "", "ccc"), text(s.readAll()));
      assertEquals(3, s.recovery().records());
      assertEquals(0, s.recovery().truncatedBytes());
      s.append("d".getBytes(UTF_8));
      s.sync();
    }
    try (FileStorage s = FileStorage.open(dir)) {
      assertEquals(List.of("a", "", "ccc", "d"), text(s.readAll()));
    }
  }

  @Test
  void readAllSeesAppendsNotYetSynced() throws IOException {
    try (FileStorage s = FileStorage.open(dir)) {
      s.append("a".getBytes(UTF_8));
      assertEquals(List.of("a"), text(s.readAll()));
    }
  }

  @Test
  void unsyncedAppendsAreNotWrittenBeforeSync() throws IOException {
    try (FileStorage s = FileStorage.open(dir)) {
      s.append("kept".getBytes(UTF_8));
      s.sync();
      s.append("pending".getBytes(UTF_8));
      // What a crash now would leave on disk: only the synced record.
      assertEquals(FileStorage.HEADER_BYTES + 4, logSize());
    }
  }

  @Test
  void garbageAfterTheLastRecordIsTruncated() throws IOException {
    writeSynced("one", "two");
    long intact = logSize();
    Files.write(dir.resolve(FileStorage.LOG_FILE), new byte[] {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7},
        StandardOpenOption.APPEND);
    try (FileStorage s = FileStorage.open(dir)) {
      assertEquals(List.of("one", "two"), text(s.readAll()));
      assertEquals(11, s.recovery().truncatedBytes());
      assertEquals(intact, logSize());
      s.append("three".getBytes(UTF_8));
      s.sync();
    }
    try (FileStorage s = FileStorage.open(dir)) {
      assertEquals(List.of("one", "two", "three"), text(s.readAll()));
    }
  }

  @Test
  void aRecordCutShortIsTruncated() throws IOException {
    writeSynced("one");
    long intact = logSize();
    // A header promising 100 bytes followed by 10: a write torn by a crash.
    byte[] payload = new byte[100];
    byte[] header = FileStorage.header(payload);
    Files.write(dir.resolve(FileStorage.LOG_FILE), header, StandardOpenOption.APPEND);
    Files.write(dir.resolve(FileStorage.LOG_FILE), new byte[10], StandardOpenOption.APPEND);
    try (FileStorage s = FileStorage.open(dir)) {
      assertEquals(List.of("one"), text(s.readAll()));
      assertEquals(intact, logSize());
    }
  }

  @Test
  void aHeaderCutShortIsTruncated() throws IOException {
    writeSynced("one");
    long intact = logSize();
    Files.write(dir.resolve(FileStorage.LOG_FILE), new byte[] {0, 0, 0}, StandardOpenOption.APPEND);
    try (FileStorage s = FileStorage.open(dir)) {
      assertEquals(List.of("one"), text(s.readAll()));
      assertEquals(intact, logSize());
    }
  }

  @Test
  void aCorruptRecordEndsTheLogThere() throws IOException {
    writeSynced("one", "two", "three");
    Path log = dir.resolve(FileStorage.LOG_FILE);
    byte[] bytes = Files.readAllBytes(log);
    int secondPayload = FileStorage.HEADER_BYTES + 3 + FileStorage.HEADER_BYTES;
    bytes[secondPayload] ^= 0x20; // "two" -> "Two": same length, wrong checksum
    Files.write(log, bytes);
    try (FileStorage s = FileStorage.open(dir)) {
      assertEquals(List.of("one"), text(s.readAll()));
      assertEquals(FileStorage.HEADER_BYTES + 3, logSize());
    }
  }

  @Test
  void aLengthThatOverrunsTheFileIsTruncatedNotAllocated() throws IOException {
    writeSynced("one");
    // Length Integer.MAX_VALUE: must be read as torn, not as a 2 GiB allocation.
    Files.write(dir.resolve(FileStorage.LOG_FILE), new byte[] {0x7f, -1, -1, -1, 0, 0, 0, 0, 1, 2},
        StandardOpenOption.APPEND);
    try (FileStorage s = FileStorage.open(dir)) {
      assertEquals(List.of("one"), text(s.readAll()));
    }
  }

  @Test
  void rewriteReplacesTheLogAndLaterAppendsFollowIt() throws IOException {
    try (FileStorage s = FileStorage.open(dir)) {
      s.append("old-1".getBytes(UTF_8));
      s.append("old-2".getBytes(UTF_8));
      s.sync();
      s.append("unsynced-old".getBytes(UTF_8));
      s.rewrite(List.of("new-1".getBytes(UTF_8)));
      assertEquals(List.of("new-1"), text(s.readAll()));
      s.append("after".getBytes(UTF_8));
      s.sync();
    }
    try (FileStorage s = FileStorage.open(dir)) {
      assertEquals(List.of("new-1", "after"), text(s.readAll()));
    }
    assertFalse(Files.exists(dir.resolve(FileStorage.TEMP_FILE)));
  }

  @Test
  void rewriteToNothingLeavesAnEmptyLog() throws IOException {
    writeSynced("a", "b");
    try (FileStorage s = FileStorage.open(dir)) {
      s.rewrite(List.of());
      assertEquals(List.of(), s.readAll());
    }
    assertEquals(0, logSize());
  }

  @Test
  void aRewriteInterruptedBeforeItsRenameLeavesTheOldLog() throws IOException {
    writeSynced("old-1", "old-2");
    // What a crash between writing the temporary file and renaming it leaves behind.
    Files.write(dir.resolve(FileStorage.TEMP_FILE), FileStorage.header("new".getBytes(UTF_8)));
    try (FileStorage s = FileStorage.open(dir)) {
      assertEquals(List.of("old-1", "old-2"), text(s.readAll()));
    }
    assertFalse(Files.exists(dir.resolve(FileStorage.TEMP_FILE)));
  }

  @Test
  void aDataDirectoryServesOneProcessAtATime() throws IOException {
    try (FileStorage first = FileStorage.open(dir)) {
      // Same JVM: the lock is refused as an overlapping lock; another process gets "in use".
      assertThrows(Exception.class, () -> FileStorage.open(dir).close());
      first.append("still-mine".getBytes(UTF_8));
      first.sync();
    }
    try (FileStorage again = FileStorage.open(dir)) {
      assertEquals(List.of("still-mine"), text(again.readAll()));
    }
  }

  @Test
  void aLogDamagedWhileOpenIsAnErrorNotSilentLoss() throws IOException {
    try (FileStorage s = FileStorage.open(dir)) {
      s.append("a".getBytes(UTF_8));
      s.sync();
      Files.write(dir.resolve(FileStorage.LOG_FILE), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
      assertThrows(UncheckedIOException.class, s::readAll);
    }
  }

  @Test
  void largeRecordsAndManyOfThemRoundTrip() throws IOException {
    byte[] big = new byte[3 << 20];
    for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
    try (FileStorage s = FileStorage.open(dir)) {
      for (int i = 0; i < 1000; i++) s.append(Integer.toString(i).getBytes(UTF_8));
      s.append(big);
      s.sync();
    }
    try (FileStorage s = FileStorage.open(dir)) {
      List<byte[]> records = s.readAll();
      assertEquals(1001, records.size());
      assertEquals("999", new String(records.get(999), UTF_8));
      assertTrue(java.util.Arrays.equals(big, records.get(1000)));
    }
  }
}
