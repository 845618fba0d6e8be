package io.faultline.results.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.faultline.results.serve.RunIndex.Run;
import io.faultline.results.serve.RunIndex.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunIndexTest {
  @TempDir Path store;

  private Path run(String test, String name, String testJson, String results) throws Exception {
    Path dir = Files.createDirectories(store.resolve(test).resolve(name));
    Files.writeString(dir.resolve("test.json"), testJson);
    if (results != null) Files.writeString(dir.resolve("results.json"), results);
    return dir;
  }

  @Test
  void runsOfTheSameSecondAreOrderedByTheirSuffix() throws Exception {
    // No began in test.json: the folder's name is all there is to order by.
    run("t", "20260101T000000", "{}", null);
    run("t", "20260101T000000-2", "{}", null);
    run("t", "20260101T000000-10", "{}", null);
    run("t", "20251231T235959-3", "{}", null);
    run("t", "not-a-stamp", "{}", null);
    List<String> order = RunIndex.scan(new StoreFiles(store)).stream().map(Run::run).toList();
    assertEquals(List.of("20260101T000000-10", "20260101T000000-2", "20260101T000000", "20251231T235959-3",
        "not-a-stamp"), order);
  }

  @Test
  void aVerdictNoCheckerReachedIsUnknown() throws Exception {
    Path dir = run("t", "20260101T000000", "{\"seed\":5}",
        "{\"valid\":\"true\",\"summary\":\"no history\",\"checked\":false,\"seed\":6}");
    Run r = RunIndex.read(new StoreFiles(store), "t", dir);
    assertEquals(Verdict.UNKNOWN, r.verdict());
    assertEquals("not checked: no history", r.summary());
    assertEquals("5", r.seed(), "test.json's seed comes first");
  }

  @Test
  void nestedValuesAreSkippedAndTrailingGarbageIsMalformed() throws Exception {
    Path dir = run("t", "20260101T000000", "{\"spec\":{\"seed\":1,\"began\":\"x\"},\"seed\":2}", "{\"valid\":\"true\"} x");
    Run r = RunIndex.read(new StoreFiles(store), "t", dir);
    assertEquals("2", r.seed());
    assertEquals(Verdict.UNREADABLE, r.verdict());
  }

  @Test
  void aFolderWithoutResultsIsRunningOnlyWhileItsControllerLives() throws Exception {
    Path alive = run("t", "20260101T000001", "{}", null);
    Files.writeString(alive.resolve("running"), ProcessHandle.current().pid() + "\n");
    assertEquals(Verdict.RUNNING, RunIndex.read(new StoreFiles(store), "t", alive).verdict());

    // A controller that is gone: a process that has exited, whose pid no longer runs.
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path dead = run("t", "20260101T000002", "{}", null);
    Files.writeString(dead.resolve("running"), gone.pid() + "\n");
    Run r = RunIndex.read(new StoreFiles(store), "t", dead);
    assertEquals(Verdict.INCOMPLETE, r.verdict());
    assertEquals(true, r.summary().startsWith("no results.json: the run stopped before its results were stored"),
        r.summary());

    Path unmarked = run("t", "20260101T000003", "{}", null);
    assertEquals(Verdict.INCOMPLETE, RunIndex.read(new StoreFiles(store), "t", unmarked).verdict(),
        "no marker (it could not even be written): not running");
  }
}
