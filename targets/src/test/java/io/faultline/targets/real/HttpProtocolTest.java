package io.faultline.targets.real;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client protocol end to end: one node process, real HTTP, every outcome and status code. */
class HttpProtocolTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  private static NodeProcess node;

  @BeforeAll
  static void startNode() {
    node = NodeProcess.startReady(dir.resolve("n1.log"), NodeProcess.registerArgs(
        "n1", NodeProcess.singlePeer("n1"), dir.resolve("data"), "--request-timeout", "1s"));
  }

  @AfterAll
  static void stopNode() {
    if (node != null) node.close();
  }

  private static JsonNode body(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertAnswer(int httpStatus, String status, HttpResponse<String> response) {
    assertEquals(httpStatus, response.statusCode(), response.body());
    assertEquals(status, body(response).get("status").asText(), response.body());
    assertEquals("n1", body(response).get("node").asText(), response.body());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
  }

  private static int countLines(String suffix) {
    return (int) node.lines().stream().filter(l -> l.endsWith(suffix)).count();
  }

  @Test
  void writeThenReadIsDoneWithTheValue() {
    HttpResponse<String> write = node.op("{\"f\":\"write\",\"key\":\"a\",\"value\":3}");
    assertAnswer(200, "done", write);
    // A done answer always carries its value, null included; nothing else null is sent.
    assertEquals("{\"status\":\"done\",\"value\":null,\"node\":\"n1\"}", write.body());
    HttpResponse<String> read = node.op("{\"f\":\"read\",\"key\":\"a\"}");
    assertAnswer(200, "done", read);
    assertEquals(3, body(read).get("value").asLong());
  }

  @Test
  void readOfAMissingKeyIsDoneWithNull() {
    HttpResponse<String> read = node.op("{\"f\":\"read\",\"key\":\"never-written\"}");
    assertAnswer(200, "done", read);
    assertTrue(body(read).has("value") && body(read).get("value").isNull(), read.body());
  }

  @Test
  void casMismatchIsNotDoneWith409AndNoValue() {
    assertAnswer(200, "done", node.op("{\"f\":\"write\",\"key\":\"c\",\"value\":1}"));
    HttpResponse<String> cas = node.op("{\"f\":\"cas\",\"key\":\"c\",\"value\":[2,5]}");
    assertAnswer(409, "not-done", cas);
    assertEquals("expected 2 but found 1", body(cas).get("error").asText());
    assertFalse(body(cas).has("value"), cas.body());
    assertFalse(body(cas).has("leader"), cas.body());
    assertAnswer(200, "done", node.op("{\"f\":\"cas\",\"key\":\"c\",\"value\":[1,5]}"));
    assertEquals(5, body(node.op("{\"f\":\"read\",\"key\":\"c\"}")).get("value").asLong());
  }

  @Test
  void anUnknownAnswerIs503() {
    HttpResponse<String> unknown = node.op("{\"f\":\"unknown\",\"key\":\"x\"}");
    assertAnswer(503, "unknown", unknown);
    assertEquals("asked to be unknown", body(unknown).get("error").asText());
  }

  @Test
  void aNodeThatNeverAnswersGivesUnknownTimedOut() {
    HttpResponse<String> hang = node.op("{\"f\":\"hang\",\"key\":\"x\"}");
    assertAnswer(503, "unknown", hang);
    assertEquals("timed out", body(hang).get("error").asText());
    // The node is still serving: a hung request costs a thread of the binding, not the node.
    assertAnswer(200, "done", node.op("{\"f\":\"read\",\"key\":\"x\"}"));
  }

  @Test
  void theFirstAnswerWinsAndLateOnesAreIgnored() {
    HttpResponse<String> twice = node.op("{\"f\":\"twice\"}");
    assertAnswer(200, "done", twice);
    assertEquals("first", body(twice).get("value").asText());
    // Answered 1.5 s after a 1 s timeout: the client already has unknown; the late answer must
    // neither reach a later request nor hurt the node.
    int answeredLateBefore = countLines("n1 answered late");
    HttpResponse<String> late = node.op("{\"f\":\"late\",\"value\":1500}");
    assertAnswer(503, "unknown", late);
    assertEquals("timed out", body(late).get("error").asText());
    HttpResponse<String> lateFast = node.op("{\"f\":\"late\",\"value\":1}");
    assertAnswer(200, "done", lateFast);
    assertEquals("late", body(lateFast).get("value").asText());
    node.awaitLine(l -> countLines("n1 answered late") >= answeredLateBefore + 2);
    assertTrue(node.isAlive());
    assertAnswer(200, "done", node.op("{\"f\":\"read\",\"key\":\"x\"}"));
  }

  @Test
  void malformedRequestsAre400NotDoneAndNeverReachTheNode() {
    for (String bad : List.of(
        "{\"f\":\"write\",\"key\":\"m\",\"value\":",      // truncated JSON
        "[1,2]",                                          // not an object
        "{\"key\":\"m\",\"value\":1}",                    // no f
        "{\"f\":\"write\",\"key\":\"m\",\"value\":1.5}",  // not an integer
        "{\"f\":\"write\",\"key\":\"m\",\"vaule\":1}",    // misspelt field
        "")) {
      HttpResponse<String> response = node.op(bad);
      assertAnswer(400, "not-done", response);
      assertFalse(body(response).get("error").asText().isEmpty(), response.body());
    }
    // None of them was written.
    assertTrue(body(node.op("{\"f\":\"read\",\"key\":\"m\"}")).get("value").isNull());
  }

  @Test
  void anOmittedKeyIsTheEmptyString() {
    assertAnswer(200, "done", node.op("{\"f\":\"write\",\"value\":9}"));
    assertEquals(9, body(node.op("{\"f\":\"read\",\"key\":\"\"}")).get("value").asLong());
  }

  @Test
  void anyOtherOperationIsPassedToTheNodeAsIs() {
    HttpResponse<String> other = node.op("{\"f\":\"txn\",\"value\":[[\"r\",\"x\",null]]}");
    assertAnswer(409, "not-done", other);
    assertEquals("unknown operation txn", body(other).get("error").asText());
  }

  @Test
  void curlConveniencesMapToReadWriteAndStatus() {
    assertAnswer(200, "done", node.put("/kv/k%2F1", "42"));
    HttpResponse<String> read = node.get("/kv/k%2F1");
    assertAnswer(200, "done", read);
    assertEquals(42, body(read).get("value").asLong());
    assertEquals(42, body(node.op("{\"f\":\"read\",\"key\":\"k/1\"}")).get("value").asLong());
    HttpResponse<String> status = node.get("/status");
    assertAnswer(200, "done", status);
    assertEquals("n1", body(status).get("value").get("id").asText());
    assertAnswer(400, "not-done", node.put("/kv/k", "not json"));
  }

  @Test
  void wrongPathsAndMethodsAreRefused() {
    assertAnswer(404, "not-done", node.get("/nope"));
    assertAnswer(405, "not-done", node.get("/op"));
    assertAnswer(405, "not-done", node.post("/kv/x", "1"));
    assertAnswer(405, "not-done", node.post("/status", ""));
  }

  @Test
  void eachNodeLogCallIsOneStampedLineOnStderr() {
    assertAnswer(200, "done", node.op("{\"f\":\"say\",\"value\":\"first half\\nsecond half\"}"));
    String line = node.awaitLine(l -> l.contains("first half"));
    // <ISO wall time> <node id> <the line, its newline escaped>
    assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z n1 first half\\\\nsecond half"), line);
  }
}
