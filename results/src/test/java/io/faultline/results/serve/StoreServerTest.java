package io.faultline.results.serve;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server over real HTTP against a store made here: runs of every verdict, a malformed one, a
 * file outside the store and links inside the store that lead out of it. Every response body that
 * passes through the helpers is checked for the outside file's content.
 */
class StoreServerTest {
  private static final String SECRET = "OUTSIDE-THE-STORE-7f3a9c";
  private static final String WEIRD = "t c<i>&";
  private static final String REPORT = "<!DOCTYPE html><html><body><h1>Report ✓ ≤ naïve</h1></body></html>\n";

  @TempDir static Path tmp;
  static Path store;
  static StoreServer server;
  static HttpClient http;

  @BeforeAll
  static void start() throws IOException {
    store = Files.createDirectories(tmp.resolve("store"));
    Files.writeString(tmp.resolve("secret.txt"), SECRET + "\n");
    Path outsideRun = Files.createDirectories(tmp.resolve("outside-run"));
    Files.writeString(outsideRun.resolve("test.json"), "{\"name\":\"" + SECRET + "\",\"seed\":1}");
    Files.writeString(outsideRun.resolve("results.json"), "{\"valid\":\"true\",\"summary\":\"" + SECRET + "\"}");

    Path valid = run("t-a", "20260101T100000", "2026-01-01T10:00:00.250Z", 11,
        "{\"valid\":\"true\",\"summary\":\"40 ops, linearizable\",\"checked\":true,\"checks\":{\"x\":{\"a\":[1,2]}}}");
    Files.writeString(valid.resolve("report.html"), REPORT);
    Files.writeString(valid.resolve("history.jsonl"), "{\"type\":\"invoke\"}\n");
    Files.createDirectories(valid.resolve("nodes/n1"));
    Files.writeString(valid.resolve("nodes/n1/node.log"), "node one\n");
    Files.createSymbolicLink(valid.resolve("escape"), Path.of("../../../secret.txt"));
    Files.createSymbolicLink(valid.resolve("sibling.html"), Path.of("../../t-b/20260102T100000/counterexample.html"));

    Path invalid = run("t-b", "20260102T100000", "2026-01-02T10:00:00Z", 22,
        "{\"valid\":\"false\",\"summary\":\"read <script>alert(1)</script> saw a stale value\",\"checked\":true}");
    Files.writeString(invalid.resolve("counterexample.html"), "<html>counterexample</html>");
    Files.writeString(invalid.resolve("history.jsonl"), "{\"type\":\"ok\"}\n".repeat(100));
    Files.writeString(invalid.resolve("history.edn"), "[{:type :ok}]\n");
    Files.writeString(invalid.resolve("faultline.log"), "began\n");
    Files.createDirectories(invalid.resolve("nodes/n1/data"));
    Files.writeString(invalid.resolve("nodes/n1/node.log"), "leader elected\n");
    Files.write(invalid.resolve("nodes/n1/data/state.bin"), new byte[] {0, 1, 2, (byte) 0xff});

    Path running = run("t-a", "20260103T100000", "2026-01-03T10:00:00Z", 33, null);
    Files.writeString(running.resolve("history.jsonl"), "");
    // Its controller is this JVM, alive: a folder without results.json whose controller died is incomplete.
    Files.writeString(running.resolve("running"), ProcessHandle.current().pid() + "\n");
    run(WEIRD, "20260104T100000", "2026-01-04T10:00:00Z", 44, "{\"valid\":\"unknown\",\"summary\":\"timed out\"}");
    run("t-c", "20260105T100000", "2026-01-05T10:00:00Z", 55, "{\"valid\":\"true\",\"summ");
    Path broken = Files.createDirectories(store.resolve("t-d/20251231T235959"));
    Files.writeString(broken.resolve("test.json"), "not json at all");

    Files.createSymbolicLink(store.resolve("t-b/linked"), Path.of("../../outside-run"));
    Files.createSymbolicLink(store.resolve("latest"), Path.of("t-b/20260102T100000"));

    server = StoreServer.start(store, 0);
    http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  private static Path run(String test, String name, String began, long seed, String results) throws IOException {
    Path dir = Files.createDirectories(store.resolve(test).resolve(name));
    Files.writeString(dir.resolve("test.json"), "{\"name\":\"x\",\"spec\":{\"nodes\":3},\"seed\":" + seed
        + ",\"began\":\"" + began + "\",\"command\":[\"faultline\",\"test\"],\"versions\":{}}");
    if (results != null) Files.writeString(dir.resolve("results.json"), results);
    return dir;
  }

  // --- the index

  private static final Pattern ROW = Pattern.compile("<tr class=\"run (\\w+)\">.*?<a href=\"(/runs/[^\"]+)\">");

  private static List<String> rows(String page) {
    List<String> out = new ArrayList<>();
    Matcher m = ROW.matcher(page);
    while (m.find()) out.add(m.group(1) + " " + m.group(2));
    return out;
  }

  @Test
  void theIndexListsEveryRunNewestFirstWithItsVerdict() throws Exception {
    HttpResponse<byte[]> r = get("/");
    assertEquals(200, r.statusCode());
    assertEquals("text/html; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
    String page = new String(r.body(), UTF_8);
    assertEquals(List.of(
        "unreadable /runs/t-c/20260105T100000/",
        "unknown /runs/t%20c%3Ci%3E%26/20260104T100000/",
        "running /runs/t-a/20260103T100000/",
        "invalid /runs/t-b/20260102T100000/",
        "valid /runs/t-a/20260101T100000/",
        "unreadable /runs/t-d/20251231T235959/"), rows(page));
    assertTrue(page.contains("results.json unreadable"), page);
    assertTrue(page.contains("test.json unreadable"), page);
    assertTrue(page.contains("2026-01-01 10:00:00"), "the time is shown");
    assertTrue(page.contains("<td>22</td>"), "the seed is shown");
    assertFalse(page.contains("/runs/t-b/linked"), "a linked folder from outside is not a run of the store");
  }

  @Test
  void theIndexEscapesWhatTheRunsWrote() throws Exception {
    String page = text("/");
    assertTrue(page.contains("read &lt;script&gt;alert(1)&lt;/script&gt; saw a stale value"), page);
    assertFalse(page.contains("<script"), page);
    assertTrue(page.contains(">t c&lt;i&gt;&amp;</a>"), page);
    assertFalse(page.contains("<i>"), page);
  }

  @Test
  void eachRowLinksTheBestPageItHas() throws Exception {
    String page = text("/");
    assertTrue(page.contains("href=\"/runs/t-a/20260101T100000/report.html\">report</a>"), page);
    assertTrue(page.contains("href=\"/runs/t-b/20260102T100000/counterexample.html\">counterexample</a>"), page);
    assertTrue(page.contains("href=\"/runs/t%20c%3Ci%3E%26/20260104T100000/results.json\">results.json</a>"), page);
    assertFalse(page.contains("/runs/t-a/20260103T100000/results.json"), "a running run has no results to link");
    assertTrue(page.contains("href=\"/zip/t-b/20260102T100000\">zip</a>"), page);
  }

  @Test
  void theFilterShowsTheRunsOfOneTestByItsExactName() throws Exception {
    String page = text("/?test=t-a");
    assertEquals(List.of("running /runs/t-a/20260103T100000/", "valid /runs/t-a/20260101T100000/"), rows(page));
    assertTrue(page.contains("<option value=\"t-a\" selected>t-a</option>"), page);
    assertTrue(page.contains("<option value=\"t-b\">t-b</option>"), "every test can be picked: " + page);
    assertEquals(List.of(), rows(text("/?test=t")), "not a substring match");
    assertEquals(List.of("unknown /runs/t%20c%3Ci%3E%26/20260104T100000/"), rows(text("/?test=t+c%3Ci%3E%26")));
    assertEquals(6, rows(text("/?test=")).size(), "an empty filter shows everything");
  }

  // --- files

  @Test
  void aStoredReportIsServedAsHtmlByteForByte() throws Exception {
    HttpResponse<byte[]> r = get("/runs/t-a/20260101T100000/report.html");
    assertEquals(200, r.statusCode());
    assertEquals("text/html; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
    assertArrayEquals(REPORT.getBytes(UTF_8), r.body());
    assertFalse(r.headers().firstValue("Content-Disposition").isPresent());
  }

  @Test
  void eachKindOfFileGetsItsContentType() throws Exception {
    assertEquals("text/plain; charset=utf-8", type("/runs/t-b/20260102T100000/history.jsonl"));
    assertEquals("text/plain; charset=utf-8", type("/runs/t-b/20260102T100000/history.edn"));
    assertEquals("text/plain; charset=utf-8", type("/runs/t-b/20260102T100000/nodes/n1/node.log"));
    assertEquals("application/json; charset=utf-8", type("/runs/t-b/20260102T100000/results.json"));
    assertEquals("application/octet-stream", type("/runs/t-b/20260102T100000/nodes/n1/data/state.bin"));
    HttpResponse<byte[]> r = get("/runs/t-b/20260102T100000/history.jsonl?download");
    assertEquals("attachment; filename=\"history.jsonl\"", r.headers().firstValue("Content-Disposition").orElse(""));
    assertEquals(1400, r.body().length);
  }

  @Test
  void headSendsTheHeadersAndNoBody() throws Exception {
    HttpResponse<byte[]> r = http.send(request("/runs/t-a/20260101T100000/report.html")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertEquals(String.valueOf(REPORT.getBytes(UTF_8).length), r.headers().firstValue("Content-Length").orElse(""));
    assertEquals(0, r.body().length);
  }

  @Test
  void aLinkThatStaysInsideTheStoreIsFollowed() throws Exception {
    HttpResponse<byte[]> r = get("/runs/t-a/20260101T100000/sibling.html");
    assertEquals(200, r.statusCode());
    assertEquals("<html>counterexample</html>", new String(r.body(), UTF_8));
    HttpResponse<byte[]> latest = get("/latest");
    assertEquals(302, latest.statusCode());
    assertEquals("/runs/t-b/20260102T100000/", latest.headers().firstValue("Location").orElse(""));
  }

  @Test
  void theListingShowsEveryFileWithItsSize() throws Exception {
    HttpResponse<byte[]> r = get("/runs/t-b/20260102T100000/");
    assertEquals(200, r.statusCode());
    String page = new String(r.body(), UTF_8);
    for (String f : List.of("test.json", "results.json", "counterexample.html", "history.jsonl", "history.edn",
        "faultline.log", "nodes/n1/node.log", "nodes/n1/data/state.bin")) {
      assertTrue(page.contains("<a href=\"/runs/t-b/20260102T100000/" + f + "\">" + f + "</a>"), f + " in " + page);
    }
    assertTrue(page.contains("<a href=\"/runs/t-b/20260102T100000/nodes/n1/\">nodes/n1/</a>"), page);
    assertTrue(page.contains("<td class=\"size\">1.4 KiB</td>"), "history.jsonl is 1400 bytes: " + page);
    assertTrue(page.contains("<td class=\"size\">4 B</td>"), "state.bin is 4 bytes: " + page);
    assertTrue(page.indexOf("faultline.log") < page.indexOf("nodes/n1/node.log"), "sorted by path");
    assertTrue(page.contains("<p class=\"verdict invalid\">"), page);

    String sub = text("/runs/t-b/20260102T100000/nodes/");
    assertTrue(sub.contains("<a href=\"/runs/t-b/20260102T100000/nodes/n1/node.log\">n1/node.log</a>"), sub);
    assertFalse(sub.contains("history.jsonl"), sub);
  }

  @Test
  void theListingNamesALinkLeadingOutButNeitherLinksNorReadsIt() throws Exception {
    String page = text("/runs/t-a/20260101T100000/");
    assertTrue(page.contains("escape (a link that leads outside the store; not served)"), page);
    assertFalse(page.contains("href=\"/runs/t-a/20260101T100000/escape\""), page);
    assertTrue(page.contains("sibling.html</a> (link)"), page);
  }

  @Test
  void theZipHoldsTheWholeRunUnderTestAndRunFolders() throws Exception {
    HttpResponse<byte[]> r = get("/zip/t-b/20260102T100000");
    assertEquals(200, r.statusCode());
    assertEquals("application/zip", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals("attachment; filename=\"t-b-20260102T100000.zip\"",
        r.headers().firstValue("Content-Disposition").orElse(""));
    Map<String, byte[]> entries = unzip(r.body());
    String p = "t-b/20260102T100000/";
    assertEquals(List.of(p, p + "counterexample.html", p + "faultline.log", p + "history.edn", p + "history.jsonl",
        p + "nodes/", p + "nodes/n1/", p + "nodes/n1/data/", p + "nodes/n1/data/state.bin", p + "nodes/n1/node.log",
        p + "results.json", p + "test.json"), entries.keySet().stream().sorted().toList());
    Path dir = store.resolve(p);
    for (String f : List.of("history.jsonl", "test.json", "nodes/n1/data/state.bin")) {
      assertArrayEquals(Files.readAllBytes(dir.resolve(f)), entries.get(p + f), f);
    }
  }

  @Test
  void theZipLeavesOutALinkLeadingOutOfTheStore() throws Exception {
    Map<String, byte[]> entries = unzip(get("/zip/t-a/20260101T100000").body());
    String p = "t-a/20260101T100000/";
    assertFalse(entries.containsKey(p + "escape"), entries.keySet().toString());
    assertArrayEquals("<html>counterexample</html>".getBytes(UTF_8), entries.get(p + "sibling.html"));
    assertArrayEquals(REPORT.getBytes(UTF_8), entries.get(p + "report.html"));
  }

  // --- refusals

  @Test
  void everyWayOutOfTheStoreIsRefused() throws Exception {
    Map<String, Integer> attempts = new LinkedHashMap<>();
    attempts.put("/runs/../../secret.txt", 400);
    attempts.put("/runs/t-a/20260101T100000/../../../secret.txt", 400);
    attempts.put("/runs/t-a/20260101T100000/..%2f..%2f..%2fsecret.txt", 400);
    attempts.put("/runs/t-a/20260101T100000/%2e%2e/%2e%2e/%2e%2e/secret.txt", 400);
    attempts.put("/runs/t-a/20260101T100000/%2E%2E%2F%2E%2E%2F%2E%2E%2Fsecret.txt", 400);
    attempts.put("/runs/t-a/20260101T100000/..%5c..%5c..%5csecret.txt", 400);
    attempts.put("/runs/t-a/20260101T100000/./report.html", 400);
    attempts.put("/runs//" + tmp.resolve("secret.txt").toString().substring(1), 400);
    attempts.put("/runs/%2F" + tmp.resolve("secret.txt").toString().substring(1).replace("/", "%2F") + "/x/y", 400);
    attempts.put("/runs/t-a/20260101T100000/report.html%00.txt", 400);
    attempts.put("/runs/t-a/20260101T100000/%zz", 400);
    attempts.put("/zip/..%2f..%2f/outside-run", 400);
    attempts.put("/zip/t-a/..", 400);
    attempts.put("http://127.0.0.1/runs/../../secret.txt", 400);
    attempts.put("/runs/t-a/20260101T100000/escape", 403);
    attempts.put("/runs/t-b/linked/", 403);
    attempts.put("/runs/t-b/linked/results.json", 403);
    attempts.put("/zip/t-b/linked", 403);
    attempts.put("/runs/t-a/20260101T100000/missing.txt", 404);
    attempts.put("/runs/t-a/nope/", 404);
    attempts.put("/etc/passwd", 404);
    for (Map.Entry<String, Integer> a : attempts.entrySet()) {
      String response = raw("GET " + a.getKey() + " HTTP/1.1", "Host: 127.0.0.1");
      assertEquals(a.getValue(), status(response), a.getKey() + " answered:\n" + response);
      assertFalse(response.contains("\tat ") || response.contains("at io.faultline"), "no stack trace: " + response);
    }
  }

  @Test
  void aRequestLineWithANulByteOrBackslashIsRefused() throws Exception {
    assertEquals(400, status(raw("GET /runs/t-a/20260101T100000/report.html\0 HTTP/1.1", "Host: 127.0.0.1")));
    assertEquals(400, status(raw("GET /runs/t-a/20260101T100000/..\\..\\..\\secret.txt HTTP/1.1", "Host: 127.0.0.1")));
  }

  @Test
  void onlyGetAndHeadAreAnswered() throws Exception {
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
      String response = raw(method + " /runs/t-a/20260101T100000/report.html HTTP/1.1", "Host: 127.0.0.1",
          "Content-Length: 0");
      assertEquals(405, status(response), method + ":\n" + response);
      assertTrue(response.contains("Allow: GET, HEAD"), response);
      assertTrue(Files.exists(store.resolve("t-a/20260101T100000/report.html")));
    }
  }

  @Test
  void aHostHeaderNamingAnotherMachineIsRefused() throws Exception {
    assertEquals(403, status(raw("GET / HTTP/1.1", "Host: attacker.example:" + server.port())));
    assertEquals(200, status(raw("GET / HTTP/1.1", "Host: localhost:" + server.port())));
    assertEquals(200, status(raw("GET / HTTP/1.1", "Host: [::1]:" + server.port())));
  }

  @Test
  void partialPathsRedirectAndUnknownPagesAreNotFound() throws Exception {
    HttpResponse<byte[]> r = get("/runs/t-a");
    assertEquals(302, r.statusCode());
    assertEquals("/?test=t-a", r.headers().firstValue("Location").orElse(""));
    assertEquals(404, get("/favicon.ico").statusCode());
    assertEquals(404, get("/zip/t-a").statusCode());
  }

  // --- binding

  @Test
  void itListensOnLoopbackUnlessToldOtherwise() throws Exception {
    assertEquals(InetAddress.getByName("127.0.0.1"), server.address().getAddress());
    assertEquals(URI.create("http://127.0.0.1:" + server.port() + "/"), server.uri());
    assertTrue(server.port() > 0, "port 0 picks a free port");
    assertEquals(store.toRealPath(), server.store());
  }

  @Test
  void aMissingStoreIsReportedBeforeListening() {
    assertThrows(NoSuchFileException.class, () -> StoreServer.start(tmp.resolve("no-such-store"), 0));
  }

  @Test
  void closeStopsListening() throws Exception {
    StoreServer other = StoreServer.start(store, 0);
    int port = other.port();
    assertEquals(200, status(raw(port, "GET / HTTP/1.1", "Host: 127.0.0.1")));
    other.close();
    other.close();
    assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close());
  }

  // --- helpers

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(30));
  }

  private static HttpResponse<byte[]> get(String path) throws Exception {
    HttpResponse<byte[]> r = http.send(request(path).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertNoSecret(new String(r.body(), ISO_8859_1), path);
    return r;
  }

  private static String text(String path) throws Exception {
    HttpResponse<byte[]> r = get(path);
    assertEquals(200, r.statusCode(), path);
    return new String(r.body(), UTF_8);
  }

  private static String type(String path) throws Exception {
    HttpResponse<byte[]> r = get(path);
    assertEquals(200, r.statusCode(), path);
    return r.headers().firstValue("Content-Type").orElse("");
  }

  /** A request sent as written: no client library normalises the path on the way. */
  private static String raw(String requestLine, String... headers) throws IOException {
    return raw(server.port(), requestLine, headers);
  }

  private static String raw(int port, String requestLine, String... headers) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      StringBuilder req = new StringBuilder(requestLine).append("\r\n");
      for (String h : headers) req.append(h).append("\r\n");
      req.append("Connection: close\r\n\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(ISO_8859_1));
      out.flush();
      String response = new String(s.getInputStream().readAllBytes(), ISO_8859_1);
      assertNoSecret(response, requestLine);
      return response;
    }
  }

  private static int status(String response) {
    Matcher m = Pattern.compile("^HTTP/1\\.[01] (\\d{3})").matcher(response);
    assertTrue(m.find(), "a status line: " + response);
    return Integer.parseInt(m.group(1));
  }

  private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        byte[] content = in.readAllBytes();
        assertNoSecret(new String(content, ISO_8859_1), e.getName());
        out.put(e.getName(), content);
      }
    }
    assertFalse(out.isEmpty(), "a zip with entries");
    return out;
  }

  private static void assertNoSecret(String body, String what) {
    assertFalse(body.contains(SECRET), "the outside file's content leaked through " + what);
  }

}
