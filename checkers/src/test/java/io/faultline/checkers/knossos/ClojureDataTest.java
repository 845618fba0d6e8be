package io.faultline.checkers.knossos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clojure.lang.IPersistentMap;
import clojure.lang.IPersistentSet;
import clojure.lang.IPersistentVector;
import clojure.lang.RT;
import io.faultline.checkers.history.Keyword;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClojureDataTest {
  private static clojure.lang.Keyword kw(String n) {
    return clojure.lang.Keyword.intern(n);
  }

  private static Object read(String edn) {
    return StandInKnossos.edn(edn);
  }

  @Test
  void anOpBecomesTheMapKnossosReads() {
    Op op = new Op(4, 1200, OpType.OK, 3L, "cas", null, List.of(1L, 2L), null, "n1", 5);
    IPersistentMap m = ClojureData.op(op, false);
    assertEquals(read("{:index 4 :time 1200 :type :ok :process 3 :f :cas :value [1 2]}"), m);
    assertTrue(m.valAt(kw("value")) instanceof IPersistentVector, "a list becomes a vector");
    assertEquals(kw("ok"), m.valAt(kw("type")));
    assertEquals(3L, m.valAt(kw("process")));
  }

  @Test
  void valueIsAlwaysPresentAndUnknownIndexAndTimeAreLeftOut() {
    Op op = Op.invoke(0, "read", null);
    IPersistentMap m = ClojureData.op(op, false);
    assertTrue(m.containsKey(kw("value")));
    assertNull(m.valAt(kw("value")));
    assertFalse(m.containsKey(kw("index")));
    assertFalse(m.containsKey(kw("time")));
  }

  @Test
  void nestedValuesKeepTheirShapeAndKeywordsBecomeClojureKeywords() {
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put(Keyword.of("x"), List.of(Keyword.of("a"), "a", 1L));
    map.put("y", Set.of(2L));
    map.put(Keyword.of("big"), new BigInteger("123456789012345678901234567890"));
    Object v = ClojureData.toClojure(map);
    assertEquals(read("{:x [:a \"a\" 1] \"y\" #{2} :big 123456789012345678901234567890N}"), v);
    Object set = ((IPersistentMap) v).valAt("y");
    assertTrue(set instanceof IPersistentSet);
    assertEquals(kw("ns/name"), ClojureData.toClojure(Keyword.of("ns/name")));
    assertEquals(7L, ClojureData.toClojure(7), "integers are longs, as the EDN reader gives them");
  }

  @Test
  void stringsStayStringsOutsideThePlacesKnossosMatchesKeywords() {
    Op op = Op.complete(OpType.OK, 1, "read", "read");
    IPersistentMap m = ClojureData.op(op, false);
    assertEquals(kw("read"), m.valAt(kw("f")));
    assertEquals("read", m.valAt(kw("value")));
  }

  @Test
  void aFunctionWrittenAsAKeywordStringIsTheSameFunction() {
    Op op = Op.invoke(1, ":write", 3L);
    assertEquals(kw("write"), ClojureData.op(op, false).valAt(kw("f")));
  }

  @Test
  void multiRegisterMicroOperationsGetKeywordFunctions() {
    // Read from JSON the micro-operations' functions are strings; Knossos's multi-register matches :read.
    Op op = Op.complete(OpType.OK, 2, "txn", List.of(List.of("read", "x", 1L), List.of(Keyword.of("write"), "y", 2L)));
    IPersistentMap m = ClojureData.op(op, true);
    assertEquals(read("[[:read \"x\" 1] [:write \"y\" 2]]"), m.valAt(kw("value")));
    // Outside multi-register the same value is left alone.
    assertEquals(read("[[\"read\" \"x\" 1] [:write \"y\" 2]]"), ClojureData.op(op, false).valAt(kw("value")));
  }

  @Test
  void nemesisAndOtherNamedProcessesAreLeftOutOfTheHistory() {
    List<Op> records = List.of(
        new Op(0, -1, OpType.INFO, "nemesis", "start", null, null, null, null, 0),
        new Op(1, -1, OpType.INVOKE, 0L, "write", null, 1L, null, null, 0),
        new Op(2, -1, OpType.INFO, "nemesis", "start", null, List.of("n1", "n2"), null, null, 0),
        new Op(3, -1, OpType.OK, 0L, "write", null, 1L, null, null, 0),
        new Op(4, -1, OpType.INVOKE, 1L, "read", null, null, null, null, 0),
        new Op(5, -1, OpType.FAIL, 1L, "read", null, null, "timeout", null, 0));
    IPersistentVector h = ClojureData.history(records, false);
    assertEquals(read("[{:index 1 :type :invoke :process 0 :f :write :value 1}"
        + " {:index 3 :type :ok :process 0 :f :write :value 1}"
        + " {:index 4 :type :invoke :process 1 :f :read :value nil}"
        + " {:index 5 :type :fail :process 1 :f :read :value nil :error \"timeout\"}]"), h);
  }

  @Test
  void clojureDataComesBackAsPlainData() {
    Object back = ClojureData.fromClojure(read("{:type :ok :f :read :value [1 #{2} {:k 3N}] :n 1/3}"));
    Map<Object, Object> expected = new LinkedHashMap<>();
    expected.put(Keyword.of("type"), Keyword.of("ok"));
    expected.put(Keyword.of("f"), Keyword.of("read"));
    expected.put(Keyword.of("value"), List.of(1L, Set.of(2L), Map.of(Keyword.of("k"), 3L)));
    expected.put(Keyword.of("n"), "1/3");
    assertEquals(expected, back);
  }
}
