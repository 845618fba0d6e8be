package io.faultline.results.report;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Opens a page in a headless Chromium, as a person's browser would, to see what its scripts drew:
 * the report's tests and {@code faultline bench report} use it. Each load is a fresh browser with a
 * throw-away profile, so loads do not share caches and nothing is left behind.
 */
public final class HeadlessChromium {
  private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "chrome");
  private static final long TIMEOUT_SECONDS = 90;
  private static final Pattern HTML_TAG = Pattern.compile("<html([^>]*)>");
  private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z0-9:-]+)=\"([^\"]*)\"");

  private final Path binary;

  private HeadlessChromium(Path binary) {
    this.binary = binary;
  }

  /** The browser named by {@code $CHROMIUM}, or the first of chromium, chromium-browser, google-chrome on the PATH. */
  public static Optional<HeadlessChromium> find() {
    String named = System.getenv("CHROMIUM");
    if (named != null && !named.isBlank() && Files.isExecutable(Path.of(named))) {
      return Optional.of(new HeadlessChromium(Path.of(named)));
    }
    String path = System.getenv("PATH");
    if (path == null) return Optional.empty();
    for (String name : NAMES) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) return Optional.of(new HeadlessChromium(candidate));
      }
    }
    return Optional.empty();
  }

  /**
   * A loaded page.
   *
   * @param dom the document as the scripts left it
   * @param rootAttributes the attributes of {@code <html>} there
   * @param wallMillis from starting the browser to its exit
   * @param log what the browser printed on stderr (console messages among it)
   */
  public record Page(String dom, Map<String, String> rootAttributes, long wallMillis, String log) {
    /** The report's script marked the page drawn. */
    public boolean rendered() {
      return "true".equals(rootAttributes.get("data-rendered"));
    }

    /** Script errors the page caught, or empty. */
    public String scriptErrors() {
      return rootAttributes.getOrDefault("data-script-errors", "");
    }

    /** Milliseconds from navigation to the page drawn, by the page's own clock. */
    public OptionalLong renderMillis() {
      String v = rootAttributes.get("data-render-ms");
      return v == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(v));
    }
  }

  /** Loads {@code page} and returns the document once its load event has fired. */
  public Page load(Path page) throws IOException, InterruptedException {
    return load(page.toUri());
  }

  /** Loads a page by address, such as one {@code faultline serve} serves. */
  public Page load(java.net.URI page) throws IOException, InterruptedException {
    return run(List.of("--dump-dom", page.toString()), null);
  }

  /** Loads a blank page: the browser's own start and exit, to subtract from {@link Page#wallMillis}. */
  public long blankMillis() throws IOException, InterruptedException {
    return run(List.of("--dump-dom", "about:blank"), null).wallMillis();
  }

  /** Loads {@code page} in a window of the given size and saves a PNG of it. */
  public void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    // The virtual time budget lets the page finish drawing before the picture is taken.
    run(List.of("--hide-scrollbars", "--virtual-time-budget=5000", "--window-size=" + width + "," + height,
        "--screenshot=" + png.toAbsolutePath(), page.toUri().toString()), png);
    if (!Files.isRegularFile(png)) throw new IOException("chromium wrote no screenshot to " + png);
  }

  private Page run(List<String> args, Path expectedFile) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("faultline-chromium");
    Path out = profile.resolve("stdout");
    Path err = profile.resolve("stderr");
    try {
      List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
          "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--disable-quic", "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile.resolve("profile")));
      command.addAll(args);
      long began = System.nanoTime();
      Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
        throw new IOException("chromium did not finish loading " + args.get(args.size() - 1) + " in "
            + TIMEOUT_SECONDS + " s");
      }
      long wall = (System.nanoTime() - began) / 1_000_000;
      String dom = Files.readString(out, StandardCharsets.UTF_8);
      String log = Files.readString(err, StandardCharsets.UTF_8);
      if (p.exitValue() != 0 && (expectedFile == null || !Files.exists(expectedFile))) {
        throw new IOException("chromium exited with " + p.exitValue() + ": " + tail(log));
      }
      return new Page(dom, rootAttributes(dom), wall, log);
    } finally {
      try (Stream<Path> walk = Files.walk(profile)) {
        walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  static Map<String, String> rootAttributes(String dom) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher tag = HTML_TAG.matcher(dom);
    if (!tag.find()) return out;
    Matcher a = ATTRIBUTE.matcher(tag.group(1));
    while (a.find()) out.put(a.group(1), a.group(2).replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&amp;", "&"));
    return out;
  }

  private static String tail(String log) {
    String[] lines = log.strip().split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1];
  }
}
