package io.faultline.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.harness.runtime.AsyncClient;
import io.faultline.harness.runtime.RealTimeLoop;
import io.faultline.harness.runtime.ThreadedClient;
import io.faultline.workloads.client.Client;
import io.faultline.workloads.client.Router;
import io.faultline.workloads.client.Routing;
import io.faultline.workloads.generator.Generators;
import io.faultline.workloads.generator.Template;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterpreterTest {
  @TempDir Path dir;

  private static Op complete(Op invocation, OpType type, String error) {
    return new Op(-1, -1, type, invocation.process(), invocation.f(), invocation.key(), invocation.value(), error,
        invocation.node(), 0);
  }

  @Test
  void aWorkerWhoseOperationEndsInInfoGoesOnAsANewProcess() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Client flaky = inv -> complete(inv, calls.incrementAndGet() % 3 == 0 ? OpType.INFO : OpType.OK, null);
    List<Op> records = run(List.of(flaky, flaky), 60);
    Set<Object> open = new HashSet<>();
    Set<Object> retired = new HashSet<>();
    for (Op op : records) {
      if (op.type() == OpType.INVOKE) {
        assertTrue(open.add(op.process()), "process " + op.process() + " invoked twice at once");
        assertTrue(!retired.contains(op.process()), "retired process " + op.process() + " invoked again");
      } else {
        assertTrue(open.remove(op.process()));
        if (op.type() == OpType.INFO) retired.add(op.process());
      }
    }
    assertEquals(120, records.size());
    assertTrue(retired.size() >= 10, "a third of the operations end in info");
    // Each worker's processes are w, w + 2, w + 4, ...: the next one begins only after an info.
    for (long w = 0; w < 2; w++) {
      long expected = w;
      OpType lastType = null;
      for (Op op : records) {
        long p = (Long) op.process();
        if (p % 2 != w) continue;
        if (op.type() == OpType.INVOKE && p != expected) {
          assertEquals(OpType.INFO, lastType, "process " + p + " began without an info before it");
          assertEquals(expected + 2, p);
          expected = p;
        }
        if (op.type() != OpType.INVOKE) lastType = op.type();
      }
    }
  }

  @Test
  void aClientThatThrowsOrAnswersForAnotherOperationIsRecordedAsInfo() throws Exception {
    Client throwing = inv -> {
      throw new IllegalStateException("boom");
    };
    Client confused = inv -> complete(Op.invoke(99, "read", null), OpType.OK, null);
    List<Op> records = run(List.of(throwing, confused), 10);
    long infos = records.stream().filter(o -> o.type() == OpType.INFO).count();
    assertEquals(10, infos);
    assertTrue(records.stream().anyMatch(o -> String.valueOf(o.error()).contains("boom")));
    assertTrue(records.stream().anyMatch(o -> String.valueOf(o.error()).contains("not a completion")));
  }

  @Test
  void stopEndsTheRunAndEveryHandedOutOperationCompletes() throws Exception {
    RealTimeLoop loop = new RealTimeLoop(System.nanoTime());
    HistoryLog log = new HistoryLog(dir.resolve("h.jsonl"), loop::now);
    Client slow = inv -> {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return complete(inv, OpType.OK, null);
    };
    List<AsyncClient> clients = threaded(List.of(slow, slow, slow));
    Interpreter in = new Interpreter(loop, 0, log, clients, List.of(router(), router(), router()), new Random(1));
    in.start(Generators.repeat(r -> new Template("write", null, 1L)));
    loop.runUntil(() -> log.records().size() > 50, Long.MAX_VALUE);
    assertTrue(!in.drained(), "an endless generator is not drained");
    in.stop();
    loop.runUntil(in::drained, Long.MAX_VALUE);
    clients.forEach(AsyncClient::close);
    log.close();
    List<Op> records = log.records();
    long invokes = records.stream().filter(o -> o.type() == OpType.INVOKE).count();
    assertTrue(invokes > 0);
    assertEquals(invokes * 2, records.size(), "every invocation has its completion");
  }

  private static Router router() {
    return Routing.ROUND_ROBIN.router(List.of("n1", "n2"), new Random(3));
  }

  private static List<AsyncClient> threaded(List<Client> clients) {
    List<AsyncClient> out = new ArrayList<>();
    for (int i = 0; i < clients.size(); i++) out.add(new ThreadedClient(clients.get(i), "worker-" + i));
    return out;
  }

  private List<Op> run(List<Client> blocking, int ops) throws Exception {
    RealTimeLoop loop = new RealTimeLoop(System.nanoTime());
    HistoryLog log = new HistoryLog(dir.resolve("h.jsonl"), loop::now);
    List<Router> routers = new ArrayList<>();
    for (int i = 0; i < blocking.size(); i++) routers.add(router());
    List<AsyncClient> clients = threaded(blocking);
    Interpreter in = new Interpreter(loop, 0, log, clients, routers, new Random(7));
    in.start(Generators.limit(ops, Generators.repeat(r -> new Template("write", "k", (long) r.nextInt(5)))));
    loop.runUntil(in::drained, Long.MAX_VALUE);
    clients.forEach(AsyncClient::close);
    log.close();
    return log.records();
  }
}
