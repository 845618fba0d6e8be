package io.faultline.checkers.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.HistoryException;
import io.faultline.checkers.history.HistoryFormat;
import io.faultline.checkers.history.HistoryReader;
import io.faultline.checkers.synthetic.TxnHistories;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checker's contract: models as Elle names them, bounded time and memory, malformed values refused. */
class TxnCheckerTest {
  private static History edn(String text) throws IOException {
    return HistoryReader.readUnpaired("test.edn", new StringReader(text), HistoryFormat.EDN);
  }

  private static final String G1C = """
      {:type :ok, :process 0, :value [[:append :x 1] [:r :y [1]]]}
      {:type :ok, :process 1, :value [[:append :x 2] [:append :y 1]]}
      {:type :ok, :process 2, :value [[:r :x [1 2]]]}
      """;

  private static Result check(TxnChecker.Options o, History h) {
    return new TxnChecker(o).check(CheckContext.defaults(), h);
  }

  @Test
  void aG1cCycleIsExplainedAndRulesOutReadCommittedAndStronger() throws IOException {
    Result r = check(TxnChecker.Options.of(TxnChecker.Workload.LIST_APPEND), edn(G1C));
    assertEquals(Validity.FALSE, r.validity());
    assertEquals(List.of("G1c"), r.details().get("anomaly-types"));
    assertEquals(List.of("read-committed"), r.details().get("not"));
    assertTrue(((List<?>) r.details().get("also-not")).contains("serializable"));
    assertTrue(((List<?>) r.details().get("satisfies")).contains("read-uncommitted"));
    assertTrue(r.summary().contains("T2 read :y as [1], which ends with it"), r.summary());
    assertTrue(r.summary().contains("a G1c cycle T1 → T2 → T1"), r.summary());
  }

  @Test
  void aModelThatAllowsTheAnomalyHolds() throws IOException {
    Result r = check(TxnChecker.Options.of(TxnChecker.Workload.LIST_APPEND).withConsistency(List.of("read-uncommitted")),
        edn(G1C));
    assertEquals(Validity.TRUE, r.validity(), r.summary());
  }

  @Test
  void askingForG1LooksForEveryAnomalyThatImpliesIt() {
    TxnChecker c = new TxnChecker(TxnChecker.Options.of(TxnChecker.Workload.LIST_APPEND).withAnomalies(List.of("G1")));
    assertTrue(Isolation.implying(List.of("G1")).containsAll(List.of("G1a", "G1b", "G1c", "G0")));
    assertTrue(Isolation.implying(List.of("G2")).containsAll(List.of("G-single-item", "G2-item", "lost-update")));
    assertTrue(!Isolation.implying(List.of("G2")).contains("G0"), "G2 does not include G0, as in Elle");
    assertTrue(c.check(CheckContext.defaults(), History.unpaired("x", List.of())).validity() == Validity.UNKNOWN);
  }

  @Test
  void unknownModelOrAnomalyNamesTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TxnChecker(
        TxnChecker.Options.of(TxnChecker.Workload.LIST_APPEND).withConsistency(List.of("serialisable"))));
    assertTrue(e.getMessage().contains("unknown consistency model 'serialisable'") && e.getMessage().contains("serializable"));
    e = assertThrows(IllegalArgumentException.class, () -> new TxnChecker(
        TxnChecker.Options.of(TxnChecker.Workload.LIST_APPEND).withAnomalies(List.of("G3"))));
    assertTrue(e.getMessage().contains("unknown anomaly 'G3'"), e.getMessage());
  }

  @Test
  void aMalformedTransactionIsRefusedNamingTheOperationAndTheFix() throws IOException {
    History h = edn("{:type :ok, :process 0, :index 7, :value [[:w :x 1]]}\n");
    HistoryException e = assertThrows(HistoryException.class,
        () -> check(TxnChecker.Options.of(TxnChecker.Workload.LIST_APPEND), h));
    assertTrue(e.getMessage().contains("operation at index 7") && e.getMessage().contains("--model rw-register"),
        e.getMessage());
    HistoryException notTxn = assertThrows(HistoryException.class,
        () -> check(TxnChecker.Options.of(TxnChecker.Workload.LIST_APPEND), edn("{:type :ok, :process 0, :value 3}\n")));
    assertTrue(notTxn.getMessage().contains("is not a transaction"), notTxn.getMessage());
  }

  @Test
  void outOfTimeOrMemoryIsUnknownWithTheReason() {
    History h = TxnHistories.generate(TxnHistories.Spec.listAppend(1, 20_000));
    TxnChecker c = new TxnChecker(TxnChecker.Options.of(TxnChecker.Workload.LIST_APPEND));
    Result slow = c.check(CheckContext.defaults().withTimeout(Duration.ZERO), h);
    assertEquals(Validity.UNKNOWN, slow.validity());
    assertTrue(slow.summary().contains("timed out"), slow.summary());
    Result small = c.check(CheckContext.defaults().withMemoryBudget(1 << 20), h);
    assertEquals(Validity.UNKNOWN, small.validity());
    assertTrue(small.summary().contains("raise --memory"), small.summary());
  }

  @Test
  void aHistoryWithNoDependencyIsUnknownAsInElle() throws IOException {
    Result r = check(TxnChecker.Options.of(TxnChecker.Workload.LIST_APPEND), edn("{:type :ok, :process 0, :value [[:r :x nil]]}\n"));
    assertEquals(Validity.UNKNOWN, r.validity());
    assertEquals(List.of("empty-transaction-graph"), r.details().get("anomaly-types"));
  }

  @Test
  void theVersionOrderIsTheLongestReadAndAnUnreadAppendFollowsIt() throws IOException {
    History h = edn("""
        {:type :ok, :process 0, :value [[:append :x 1] [:append :x 2]]}
        {:type :ok, :process 1, :value [[:append :x 3]]}
        {:type :ok, :process 2, :value [[:r :x [1 2]]]}
        """);
    Txns txns = Txns.of(h, TxnChecker.Workload.LIST_APPEND, new Budget(CheckContext.defaults()));
    ListAppend la = new ListAppend(txns, new Budget(CheckContext.defaults()));
    la.infer();
    assertEquals(List.of(1L, 2L), la.versionOrder(io.faultline.checkers.history.Keyword.of("x")));
    Graph g = Graph.build(txns.count, la.edges, new Budget(CheckContext.defaults()));
    assertEquals(Graph.WW, g.kinds(0, 1), "the unread 3 follows 2, the last element read");
    assertEquals(Graph.RW, g.kinds(2, 1), "the reader of [1 2] did not see 3");
    assertEquals(Graph.WR, g.kinds(0, 2));
  }

  @Test
  void jsonLinesTransactionsAreTriples() throws IOException {
    History h = HistoryReader.readUnpaired("t.jsonl", new StringReader("""
        {"type":"ok","process":0,"value":[["append","x",1],["r","y",[1]]]}
        {"type":"ok","process":1,"value":[["append","x",2],["append","y",1]]}
        {"type":"ok","process":2,"value":[["r","x",[1,2]]]}
        """), HistoryFormat.JSONL);
    Result r = check(TxnChecker.Options.of(TxnChecker.Workload.LIST_APPEND), h);
    assertEquals(List.of("G1c"), r.details().get("anomaly-types"));
    @SuppressWarnings("unchecked")
    Map<String, Object> g1c = (Map<String, Object>) ((Map<String, Object>) r.details().get("anomalies")).get("G1c");
    assertTrue(g1c.toString().contains("kind=wr") && g1c.toString().contains("kind=ww"), g1c.toString());
    assertEquals(List.of("read-committed"), g1c.get("not"), "what this anomaly alone rules out");
  }
}
