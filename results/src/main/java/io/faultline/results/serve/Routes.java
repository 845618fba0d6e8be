package io.faultline.results.serve;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.faultline.results.serve.RunIndex.Run;
import io.faultline.results.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Answers every request: picks the page, and turns refusals and failures into short plain answers. */
final class Routes implements HttpHandler {
  private static final System.Logger LOG = System.getLogger(StoreServer.class.getName());

  /** Files listed on one page; a run's node data can hold many more, and the zip has them all. */
  static final int MAX_LISTED = 5000;

  /** The server's own pages fetch nothing and run nothing. */
  private static final String OWN_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";
  /**
   * Stored pages (reports, counterexamples) are self-contained with inline style and script; this
   * keeps them so, whatever a run wrote into them, by letting nothing be fetched from elsewhere.
   */
  private static final String STORED_POLICY = "default-src 'self' 'unsafe-inline' data:";

  private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  private static final Comparator<List<String>> BY_PATH = (a, b) -> {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) return c;
    }
    return Integer.compare(a.size(), b.size());
  };

  private final StoreFiles files;
  private final boolean loopbackOnly;

  Routes(StoreFiles files, boolean loopbackOnly) {
    this.files = files;
    this.loopbackOnly = loopbackOnly;
  }

  @Override
  public void handle(HttpExchange ex) {
    try {
      try {
        answer(ex);
      } catch (Refusal r) {
        if (ex.getResponseCode() < 0) plain(ex, r.status, r.getMessage());
      } catch (AccessDeniedException e) {
        if (ex.getResponseCode() < 0) plain(ex, 403, "the server may not read that file");
      } catch (IOException | RuntimeException e) {
        // Once the status is sent, an error can only be the client going away or a file changing
        // under us; the cut-short response tells the client. Before that, it is ours to report.
        if (ex.getResponseCode() < 0) {
          LOG.log(System.Logger.Level.WARNING, "could not answer " + ex.getRequestURI(), e);
          plain(ex, 500, "the server could not answer; its log says why");
        }
      }
    } catch (IOException | RuntimeException e) {
      // the client went away while we answered; nothing left to tell it
    } finally {
      ex.close();
    }
  }

  private void answer(HttpExchange ex) throws Refusal, IOException {
    String method = ex.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      ex.getResponseHeaders().set("Allow", "GET, HEAD");
      throw Refusal.methodNotAllowed("only GET and HEAD: the store is served read-only");
    }
    checkHost(ex.getRequestHeaders().getFirst("Host"));
    URI uri = ex.getRequestURI();
    UrlPath path = UrlPath.parse(uri.getRawPath());
    Map<String, String> query = query(uri.getRawQuery());
    List<String> s = path.segments;
    if (s.isEmpty()) {
      String test = query.get("test");
      index(ex, test == null || test.isEmpty() ? null : test);
      return;
    }
    switch (s.get(0)) {
      case "runs" -> runs(ex, s, query.containsKey("download"));
      case "zip" -> zip(ex, s);
      case "latest" -> latest(ex, s);
      default -> throw Refusal.notFound("no such page; the runs are listed at /");
    }
  }

  /**
   * Refuses a Host header that names anything but this machine, when the server listens only on
   * it: a page from elsewhere that rebinds its own name to 127.0.0.1 still sends that name.
   */
  void checkHost(String host) throws Refusal {
    if (!loopbackOnly || host == null) return; // HTTP/1.0 clients send none; browsers always do
    if (!loopbackName(hostPart(host))) {
      throw Refusal.forbidden("this server answers only to a loopback address or localhost");
    }
  }

  static String hostPart(String header) {
    String h = header.strip();
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(1, end);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  static boolean loopbackName(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
    return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
        || LOOPBACK_V4.matcher(h).matches();
  }

  private void index(HttpExchange ex, String test) throws IOException {
    List<Run> all = RunIndex.scan(files);
    List<String> tests = all.stream().map(Run::test).distinct().sorted().toList();
    List<Run> shown = test == null ? all : all.stream().filter(r -> r.test().equals(test)).toList();
    html(ex, Pages.index(shown, tests, test, all.size()));
  }

  private void runs(HttpExchange ex, List<String> s, boolean download) throws Refusal, IOException {
    if (s.size() == 1) {
      redirect(ex, "/");
      return;
    }
    if (s.size() == 2) {
      redirect(ex, Pages.testLink(s.get(1)));
      return;
    }
    Path run = runFolder(s.get(1), s.get(2));
    Path target = files.resolve(s.subList(1, s.size()));
    if (Files.isDirectory(target)) {
      listing(ex, RunIndex.read(files, s.get(1), run), s.subList(3, s.size()), target);
    } else if (Files.isRegularFile(target)) {
      file(ex, target, s.get(s.size() - 1), download);
    } else {
      throw Refusal.notFound("neither a file nor a folder");
    }
  }

  private Path runFolder(String test, String run) throws Refusal {
    Path dir = files.resolve(List.of(test, run));
    if (!Store.isRun(dir)) throw Refusal.notFound("no such run in the store");
    return dir;
  }

  private void listing(HttpExchange ex, Run run, List<String> sub, Path dir) throws IOException {
    List<RunFiles.Entry> entries = new ArrayList<>();
    boolean[] truncated = {false};
    RunFiles.walk(files, dir, e -> {
      if (entries.size() == MAX_LISTED) {
        truncated[0] = true;
        return false;
      }
      entries.add(e);
      return true;
    });
    entries.sort(Comparator.comparing(RunFiles.Entry::path, BY_PATH));
    html(ex, Pages.listing(run, sub, entries, truncated[0]));
  }

  private void file(HttpExchange ex, Path real, String name, boolean download) throws IOException {
    // Opened first, so that a file we may not read is refused before any header is sent.
    try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
      long size = Files.size(real);
      Headers h = ex.getResponseHeaders();
      common(h, ContentTypes.of(name), STORED_POLICY);
      if (download) h.set("Content-Disposition", "attachment; filename=\"" + fileName(name) + "\"");
      if (head(ex)) {
        h.set("Content-Length", Long.toString(size));
        ex.sendResponseHeaders(200, -1);
        return;
      }
      ex.sendResponseHeaders(200, size == 0 ? -1 : size);
      if (size == 0) return;
      // Exactly the size announced: a log still being written must not overrun the length.
      try (OutputStream out = ex.getResponseBody()) {
        byte[] buf = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) break;
          out.write(buf, 0, n);
          left -= n;
        }
      }
    }
  }

  private void zip(HttpExchange ex, List<String> s) throws Refusal, IOException {
    if (s.size() != 3) throw Refusal.notFound("a run's zip is at /zip/TEST/RUN");
    Path run = runFolder(s.get(1), s.get(2));
    Headers h = ex.getResponseHeaders();
    common(h, "application/zip", OWN_POLICY);
    h.set("Content-Disposition", "attachment; filename=\"" + fileName(s.get(1) + "-" + s.get(2)) + ".zip\"");
    if (head(ex)) {
      ex.sendResponseHeaders(200, -1);
      return;
    }
    ex.sendResponseHeaders(200, 0); // chunked: the length is known only once it is written
    try (OutputStream out = ex.getResponseBody()) {
      RunZip.write(files, run, s.get(1), s.get(2), out);
    }
  }

  private void latest(HttpExchange ex, List<String> s) throws Refusal, IOException {
    if (s.size() != 1) throw Refusal.notFound("the newest run is at /latest");
    Path real = files.resolve(List.of(Store.LATEST));
    Path rel = files.root().relativize(real);
    if (rel.getNameCount() != 2 || !Store.isRun(real)) throw Refusal.notFound("latest does not lead to a run");
    redirect(ex, UrlPath.link("/runs", List.of(rel.getName(0).toString(), rel.getName(1).toString())) + "/");
  }

  static Map<String, String> query(String raw) throws Refusal {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) return out;
    for (String part : raw.split("&")) {
      if (part.isEmpty()) continue;
      int eq = part.indexOf('=');
      try {
        String key = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
        out.putIfAbsent(key, value);
      } catch (IllegalArgumentException e) {
        throw Refusal.badRequest("malformed query string");
      }
    }
    return out;
  }

  /** A name that is safe inside a quoted header value and on any file system. */
  static String fileName(String name) {
    String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe;
  }

  private static boolean head(HttpExchange ex) {
    return ex.getRequestMethod().equals("HEAD");
  }

  private static void common(Headers h, String type, String policy) {
    h.set("Content-Type", type);
    h.set("Content-Security-Policy", policy);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    // Runs change as they finish and get checked again: always ask.
    h.set("Cache-Control", "no-cache");
  }

  private static void html(HttpExchange ex, String page) throws IOException {
    send(ex, 200, ContentTypes.HTML, page.getBytes(StandardCharsets.UTF_8));
  }

  private static void redirect(HttpExchange ex, String location) throws IOException {
    ex.getResponseHeaders().set("Location", location);
    send(ex, 302, ContentTypes.TEXT, ("see " + location + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void plain(HttpExchange ex, int status, String message) throws IOException {
    send(ex, status, ContentTypes.TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    common(ex.getResponseHeaders(), type, OWN_POLICY);
    if (head(ex)) {
      ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }
}
