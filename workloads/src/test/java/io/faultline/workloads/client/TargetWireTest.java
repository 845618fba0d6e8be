package io.faultline.workloads.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Response;
import io.faultline.workloads.generator.Template;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetWireTest {
  private static final List<String> NODES = List.of("n1", "n2", "n3");
  private static final Op READ = new Template("read", "x", null).invocation(4, 100);
  private static final Op WRITE = new Template("write", "x", 3L).invocation(5, 100);
  private static final Op CAS = new Template("cas", "x", List.of(3L, 4L)).invocation(6, 100);

  private static Op complete(Op inv, Response r) {
    return assertInstanceOf(TargetWire.Step.Complete.class, TargetWire.onResponse(inv, "n1", r, 0, NODES)).completion();
  }

  @Test
  void requestsCarryFunctionKeyAndValueAsTheProtocolWantsThem() {
    assertEquals(Request.read("x"), TargetWire.request(READ));
    assertEquals(Request.write("x", 3), TargetWire.request(WRITE));
    assertEquals(Request.cas("x", 3, 4), TargetWire.request(CAS));
    assertThrows(IllegalArgumentException.class, () -> TargetWire.request(new Template("read", null, null).invocation(0, 0)));
  }

  @Test
  void doneIsOkWithTheReadValueOrTheArgument() {
    Op read = complete(READ, Response.done(7)); // an Integer, as JSON parsers give small numbers
    assertEquals(OpType.OK, read.type());
    assertEquals(7L, read.value());
    assertEquals(READ.process(), read.process());
    assertEquals("x", read.key());
    assertEquals("n1", read.node());
    assertNull(complete(READ, Response.done(null)).value(), "a missing key reads as null");
    Op write = complete(WRITE, Response.done(null));
    assertEquals(OpType.OK, write.type());
    assertEquals(3L, write.value());
    assertEquals(List.of(3L, 4L), complete(CAS, Response.done(null)).value());
  }

  @Test
  void notDoneIsFailAndUnknownIsInfoExceptForReads() {
    Op mismatch = complete(CAS, Response.notDone("cas mismatch", null));
    assertEquals(OpType.FAIL, mismatch.type());
    assertEquals("cas mismatch", mismatch.error());
    assertEquals(OpType.INFO, complete(WRITE, Response.unknown("leadership lost")).type());
    assertEquals(OpType.INFO, complete(CAS, Response.unknown("leadership lost")).type());
    assertEquals(OpType.FAIL, complete(READ, Response.unknown("leadership lost")).type());
  }

  @Test
  void noAnswerIsInfoForWritesAndFailForReadsAndNotSentIsAlwaysFail() {
    assertEquals(OpType.INFO, TargetWire.noAnswer(WRITE, "n2", "timed out").type());
    assertEquals(OpType.INFO, TargetWire.noAnswer(CAS, "n2", "timed out").type());
    assertEquals(OpType.FAIL, TargetWire.noAnswer(READ, "n2", "timed out").type());
    assertEquals(OpType.FAIL, TargetWire.notSent(WRITE, "n2", "refused").type());
    assertEquals("refused", TargetWire.notSent(WRITE, "n2", "refused").error());
  }

  @Test
  void aLeaderHintIsFollowedToAKnownOtherNodeAFewHopsAtMost() {
    Response hint = Response.notDone("not leader", "n3");
    assertEquals("n3", assertInstanceOf(TargetWire.Step.Redirect.class,
        TargetWire.onResponse(WRITE, "n1", hint, 0, NODES)).node());
    Op gaveUp = assertInstanceOf(TargetWire.Step.Complete.class,
        TargetWire.onResponse(WRITE, "n1", hint, TargetWire.MAX_HOPS, NODES)).completion();
    assertEquals(OpType.FAIL, gaveUp.type());
    assertTrue(gaveUp.error().toString().contains("hops"), gaveUp.error().toString());
    // A hint naming the node itself, or a node not in the cluster, is not followed.
    assertEquals(OpType.FAIL, complete(WRITE, Response.notDone("not leader", "n1")).type());
    assertEquals(OpType.FAIL, complete(WRITE, Response.notDone("not leader", "n9")).type());
    assertEquals(OpType.FAIL, complete(WRITE, Response.notDone("no leader", null)).type());
  }
}
