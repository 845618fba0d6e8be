package io.faultline.targets.real;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Response;
import io.faultline.targets.clientprotocol.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON side of the client protocol, in process: parsing requests, encoding answers. */
class HttpFrontendTest {
  private static Request parse(String json) throws HttpFrontend.BadRequest {
    return HttpFrontend.parseOp(json.getBytes(UTF_8));
  }

  @Test
  void requestsBecomeHistoryValues() throws Exception {
    assertEquals(Request.write("x", 3), parse("{\"f\":\"write\",\"key\":\"x\",\"value\":3}"));
    assertEquals(Request.read("x"), parse("{\"f\":\"read\",\"key\":\"x\"}"));
    assertEquals(Request.cas("x", 3, 4), parse("{\"f\":\"cas\",\"key\":\"x\",\"value\":[3,4]}"));
    assertEquals(new Request("status", "", null), parse("{\"f\":\"status\"}"));
    assertEquals(new Request("read", "7", null), parse("{\"f\":\"read\",\"key\":7}"));
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("a", List.of(1L, "two", true));
    nested.put("b", null);
    assertEquals(new Request("txn", "", nested), parse("{\"f\":\"txn\",\"value\":{\"a\":[1,\"two\",true],\"b\":null}}"));
    // Small integers are Longs, as the history format and Request.write hold them.
    assertTrue(parse("{\"f\":\"write\",\"key\":\"x\",\"value\":1}").value() instanceof Long);
  }

  @Test
  void badRequestsAreRefusedWithAReason() {
    for (String bad : List.of("", "nope", "[]", "{}", "{\"f\":1}", "{\"f\":\"\"}", "{\"f\":\"read\",\"key\":[1]}",
        "{\"f\":\"read\",\"key\":1.5}", "{\"f\":\"write\",\"value\":1e3}",
        "{\"f\":\"write\",\"value\":123456789012345678901234567890}", "{\"f\":\"read\",\"extra\":1}")) {
      HttpFrontend.BadRequest e = assertThrows(HttpFrontend.BadRequest.class, () -> parse(bad), bad);
      assertTrue(!e.getMessage().isBlank() && !e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void answersLeaveOutNullsButADoneValue() throws Exception {
    HttpFrontend http = new HttpFrontend("n3", null, Duration.ofSeconds(1), (r, a) -> {});
    assertEquals("{\"status\":\"done\",\"value\":null,\"node\":\"n3\"}", new String(http.encode(Response.done(null)), UTF_8));
    assertEquals("{\"status\":\"done\",\"value\":[1,2],\"node\":\"n3\"}",
        new String(http.encode(Response.done(List.of(1L, 2L))), UTF_8));
    assertEquals("{\"status\":\"not-done\",\"error\":\"not the leader\",\"leader\":\"n1\",\"node\":\"n3\"}",
        new String(http.encode(Response.notDone("not the leader", "n1")), UTF_8));
    assertEquals("{\"status\":\"unknown\",\"error\":\"timed out\",\"node\":\"n3\"}",
        new String(http.encode(Response.unknown("timed out")), UTF_8));
  }

  @Test
  void statusCodes() {
    assertEquals(200, HttpFrontend.httpStatus(Status.DONE));
    assertEquals(409, HttpFrontend.httpStatus(Status.NOT_DONE));
    assertEquals(503, HttpFrontend.httpStatus(Status.UNKNOWN));
  }

  @Test
  void theFirstAnswerWinsWhoeverGivesIt() {
    List<Response> written = new ArrayList<>();
    HttpFrontend.FirstAnswer answer = new HttpFrontend.FirstAnswer(written::add);
    answer.done(1L);
    answer.notDone("too late", null);
    answer.unknown("timed out"); // the timeout firing after the node answered: ignored
    assertEquals(List.of(Response.done(1L)), written);

    List<Response> timedOut = new ArrayList<>();
    HttpFrontend.FirstAnswer silent = new HttpFrontend.FirstAnswer(timedOut::add);
    silent.unknown("timed out");
    silent.done(2L); // the node answering after the timeout: ignored, and no exception
    assertEquals(List.of(Response.unknown("timed out")), timedOut);
  }
}
