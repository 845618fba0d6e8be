package io.faultline.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.history.History;
import io.faultline.checkers.history.HistoryFormat;
import io.faultline.checkers.history.HistoryReader;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryLogTest {
  @TempDir Path dir;

  @Test
  void recordsFromManyThreadsGetIndicesInTimeOrderAndReachTheFileWhole() throws Exception {
    Path file = dir.resolve("history.jsonl");
    long origin = System.nanoTime();
    HistoryLog log = new HistoryLog(file, () -> System.nanoTime() - origin);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      long process = t;
      threads.add(new Thread(() -> {
        for (int i = 0; i < 500; i++) {
          long p = process * 1000 + i; // a new process per operation, as after an info
          log.record(Op.invoke(p, "write", (long) i));
          log.record(Op.complete(i % 10 == 0 ? OpType.INFO : OpType.OK, p, "write", (long) i));
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) t.join();
    log.nemesis("kill", List.of("n1"));
    log.close();

    List<Op> memory = log.records();
    assertEquals(4001, memory.size());
    for (int i = 0; i < memory.size(); i++) {
      assertEquals(i, memory.get(i).index());
      if (i > 0) assertTrue(memory.get(i).time() >= memory.get(i - 1).time(), "time goes back at " + i);
    }
    assertEquals(1800, log.oks());
    assertEquals(200, log.infos());
    History onDisk = HistoryReader.read(file, HistoryFormat.JSONL);
    assertEquals(memory.size(), onDisk.records().size());
    assertEquals(memory.get(4000).f(), onDisk.records().get(4000).f());
    assertEquals(List.of("n1"), onDisk.records().get(4000).value());
    assertEquals(memory.get(1234).time(), onDisk.records().get(1234).time());
  }
}
