package io.faultline.results.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
  @TempDir Path root;

  @Test
  void runsOfOneSecondGetDistinctFoldersAndLatestFollowsTheNewest() throws Exception {
    Store store = new Store(root);
    Instant t = Instant.parse("2026-11-24T12:00:00Z");
    Path first = store.newRun("raft-register", t);
    Path second = store.newRun("raft-register", t);
    assertEquals(root.resolve("raft-register/20261124T120000"), first);
    assertEquals(root.resolve("raft-register/20261124T120000-2"), second);
    store.markLatest(first);
    assertEquals(first.toRealPath(), root.resolve(Store.LATEST).toRealPath());
    store.markLatest(second);
    assertEquals(second.toRealPath(), root.resolve(Store.LATEST).toRealPath());
    assertTrue(Files.isSymbolicLink(root.resolve(Store.LATEST)));
    assertNotEquals(first, second);
  }

  @Test
  void aTestNameThatWouldEscapeTheStoreIsRefused() {
    Store store = new Store(root);
    assertThrows(IllegalArgumentException.class, () -> store.newRun("../x", Instant.EPOCH));
    assertThrows(IllegalArgumentException.class, () -> store.newRun(".hidden", Instant.EPOCH));
  }

  @Test
  void aRunIsAFolderWithATestFile() throws Exception {
    Path run = new Store(root).newRun("t", Instant.EPOCH);
    assertFalse(Store.isRun(run));
    Files.writeString(run.resolve(Store.TEST), "{}");
    assertTrue(Store.isRun(run));
  }
}
