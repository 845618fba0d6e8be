package io.faultline.checkers.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What each model says it knows is what its step function takes. */
class ModelFunctionsTest {
  private static Operation pending(String f, Object value) {
    return new Operation(0, Op.invoke(0, f, value), null, 0, Long.MAX_VALUE);
  }

  private static List<Object> successors(Model m, Operation op) {
    List<Object> next = new ArrayList<>();
    m.stepAll(m.init(null), op, next::add);
    return next;
  }

  @Test
  void theRegistersNameTheirFunctions() {
    assertEquals(List.of("read", "write", "get", "put"),
        List.copyOf(Models.create("register", null, Semantics.FAULTLINE).functions()));
    assertEquals(List.of("read", "write", "cas", "get", "put"),
        List.copyOf(Models.create("cas-register", null, Semantics.FAULTLINE).functions()));
    assertEquals(List.of("read", "write", "cas", "get", "put", "append"),
        List.copyOf(Models.create("kv", null, Semantics.FAULTLINE).functions()));
    assertEquals(Set.of("txn"), Models.create("multi-register", null, Semantics.FAULTLINE).functions());
  }

  @Test
  void aFunctionOutsideTheListIsIllegalAndOneInsideItIsTaken() {
    for (String name : Models.NAMES) {
      Model m = Models.create(name, null, Semantics.FAULTLINE);
      assertFalse(m.functions().isEmpty(), name);
      assertSame(Model.ILLEGAL, m.step(m.init(null), pending("frobnicate", 1L)), name);
      assertEquals(List.of(), successors(m, pending("frobnicate", 1L)), name);
      for (String f : m.functions()) m.stepAll(m.init(null), pending(f, 1L), s -> { });
    }
    // A function a model does not list is illegal there even when another model takes it.
    Model register = Models.create("register", null, Semantics.FAULTLINE);
    assertSame(Model.ILLEGAL, register.step(null, pending("cas", List.of(1L, 2L))));
    assertEquals(2L, Models.create("cas-register", 1L, Semantics.FAULTLINE).step(1L, pending("cas", List.of(1L, 2L))));
  }
}
