package io.faultline.checkers.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Result;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.HistoryFormat;
import io.faultline.checkers.history.HistoryReader;
import io.faultline.checkers.history.SharedHistories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of shared/histories/txn/MANIFEST.tsv: Elle's own test histories, each with the verdict
 * and the anomalies Elle's test suite asserts under the consistency model (or anomalies option) the
 * row names. The verdict must be Elle's, and Elle's anomalies must be among those reported.
 *
 * <p>Where Faultline names other anomalies than the row, {@link #DIFFERENCES} and {@link #IMPLIED} say
 * which and why. Where it reports more than the row lists (allowed: a row lists what Elle's test
 * asserted, not all Elle reports), as measured when this was written:
 * <ul>
 *   <li>list-append/g-nonadjacent.edn and lost-update.edn under strict-serializable: also
 *       G-single-item-realtime. Both histories are one process in real-time order, so a read that
 *       missed a later append plus the real-time edge back is a one-rw cycle; Elle, which skips only
 *       classes implied by those found, would search for it too, but its tests assert the data cycle.
 *   <li>list-append/internal-faunadb.edn: also empty-transaction-graph. Elle's test asserts its
 *       internal-cases function alone; the full check of a lone transaction infers no dependency.
 *   <li>generated/history.sim/sim-prefix-limit32.edn: also G-single-item, in a component other than
 *       the G0 one; Elle's test asserts the first G0 cycle and the incompatible orders.
 * </ul>
 */
class ElleManifestTest {
  /**
   * Rows (path and the model column) whose expected anomaly types are not all among Faultline's,
   * with why. Extra anomalies Faultline reports besides Elle's are allowed everywhere and listed by
   * {@link #report()} rather than here.
   */
  static final Map<String, String> DIFFERENCES = Map.of(
      "transcribed/elle/list-append/unfindable-g-single-large.edn|snapshot-isolation",
      "Elle's search timed out (PL-SI-cycle-exists, cycle-search-timeout); the row's note says a faster"
          + " search reports G-single-item instead, and Faultline's finds that cycle within its step limit");

  /**
   * Rows where Faultline names a stronger anomaly than Elle's test, one that implies Elle's (so
   * every model Elle rules out is ruled out too), with why.
   */
  static final Map<String, String> IMPLIED = Map.of(
      "transcribed/elle/rw-register/g1c-realtime-cyclic-versions.edn|strong-serializable + wfr-keys? + linearizable-keys?",
      "the dependency of T3 on T4 is both a write-read (T3 read T4's x = 4) and a write-write edge (the"
          + " writes-follow-reads order puts 4 before T3's 3), so the cycle with the real-time edge T3 -> T4 is"
          + " G0-realtime, which implies the G1c-realtime Elle's test names");

  record Row(String path, String workload, boolean valid, List<String> anomalies, String modelColumn) {
    @Override
    public String toString() {
      return path + " [" + modelColumn + "]";
    }
  }

  static Stream<Arguments> rows() throws IOException {
    Path dir = SharedHistories.dir().resolve("txn");
    Path manifest = dir.resolve("MANIFEST.tsv");
    assumeTrue(Files.isRegularFile(manifest), "no txn/MANIFEST.tsv in " + dir);
    List<Arguments> out = new ArrayList<>();
    for (Map<String, String> f : SharedHistories.rows(manifest)) {
      String expected = f.get("expected_anomalies");
      out.add(Arguments.of(new Row(f.get("path"), f.get("workload"), Boolean.parseBoolean(f.get("expected_valid")),
          expected.isBlank() ? List.of() : Arrays.asList(expected.split(",")), f.get("consistency_model_checked"))));
    }
    return out.stream();
  }

  /** The checker's options a manifest row's model column describes. */
  static TxnChecker.Options options(Row row) {
    String c = row.modelColumn();
    TxnChecker.Options o = TxnChecker.Options.of(TxnChecker.Workload.fromName(row.workload()));
    if (c.startsWith("anomalies=[")) {
      String names = c.substring("anomalies=[".length(), c.indexOf(']'));
      o = o.withAnomalies(Arrays.asList(names.split(",")));
    } else {
      String model = c.split("[ (]")[0];
      o = o.withConsistency(List.of(model));
    }
    return o.withVersionOrders(c.contains("wfr-keys?") && !c.contains("wfr-keys?=false"),
        c.contains("sequential-keys?"), c.contains("linearizable-keys?"));
  }

  static Result check(Row row) throws IOException {
    Path file = SharedHistories.dir().resolve("txn").resolve(row.path());
    History h = HistoryReader.readUnpaired(file, HistoryFormat.EDN, Long.MAX_VALUE, false);
    return new TxnChecker(options(row)).check(CheckContext.defaults(), h);
  }

  @SuppressWarnings("unchecked")
  static Set<String> reported(Result r) {
    Object types = r.details().get("anomaly-types");
    return types == null ? Set.of() : new TreeSet<>((List<String>) types);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void verdictAndAnomaliesAreElles(Row row) throws IOException {
    Result r = check(row);
    assertEquals(row.valid() ? "true" : "false", r.validity().wireName(), row + ": " + r.summary());
    Set<String> got = reported(r);
    String why = DIFFERENCES.get(row.path() + "|" + row.modelColumn());
    if (why != null) {
      assertTrue(!got.isEmpty(), row + " reports anomalies: " + got);
      return;
    }
    for (String a : row.anomalies()) {
      boolean named = got.contains(a);
      boolean implied = got.stream().anyMatch(g -> Isolation.implied(List.of(g)).contains(a));
      assertTrue(named || implied && IMPLIED.containsKey(row.path() + "|" + row.modelColumn()),
          row + ": expected " + a + " among " + got + " (" + r.summary() + ")");
    }
  }
}
