package io.faultline.checkers.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.model.Semantics;
import org.junit.jupiter.api.Test;

class HistoryFormatTest {

  @Test
  void wireNamesRoundTrip() {
    for (HistoryFormat f : HistoryFormat.values()) {
      assertEquals(f, HistoryFormat.fromName(f.wireName()));
    }
    assertEquals("jepsen-log", HistoryFormat.JEPSEN_LOG.wireName());
    assertEquals("porcupine-kv", HistoryFormat.PORCUPINE_KV.wireName());
    assertEquals(HistoryFormat.EDN, HistoryFormat.fromName(" EDN "));
  }

  @Test
  void unknownNameListsTheValidOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HistoryFormat.fromName("yaml"));
    assertTrue(e.getMessage().contains("'yaml'"), e.getMessage());
    assertTrue(e.getMessage().contains("jsonl, edn, jepsen-log, porcupine-kv"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> HistoryFormat.fromName(null));
  }

  @Test
  void eachFormatKeepsItsToolsReading() {
    assertEquals(Semantics.JEPSEN, HistoryFormat.EDN.defaultSemantics());
    assertEquals(Semantics.PORCUPINE, HistoryFormat.JEPSEN_LOG.defaultSemantics());
    assertEquals(Semantics.PORCUPINE, HistoryFormat.PORCUPINE_KV.defaultSemantics());
    assertEquals(Semantics.FAULTLINE, HistoryFormat.JSONL.defaultSemantics());
  }
}
