package io.faultline.results.serve;

import java.util.Locale;
import java.util.Map;

/**
 * The content type of a stored file, by its name. Text formats the browser would otherwise
 * download (histories, logs) are served as UTF-8 plain text so they open in the tab; anything not
 * known is served as bytes to download, never guessed at.
 */
final class ContentTypes {
  static final String HTML = "text/html; charset=utf-8";
  static final String TEXT = "text/plain; charset=utf-8";
  static final String BYTES = "application/octet-stream";

  private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
      Map.entry("html", HTML),
      Map.entry("htm", HTML),
      Map.entry("json", "application/json; charset=utf-8"),
      Map.entry("xml", "application/xml; charset=utf-8"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("css", "text/css; charset=utf-8"),
      Map.entry("png", "image/png"),
      Map.entry("jsonl", TEXT),
      Map.entry("edn", TEXT),
      Map.entry("log", TEXT),
      Map.entry("txt", TEXT),
      Map.entry("out", TEXT),
      Map.entry("err", TEXT),
      Map.entry("yaml", TEXT),
      Map.entry("yml", TEXT),
      Map.entry("csv", TEXT),
      Map.entry("md", TEXT),
      Map.entry("properties", TEXT));

  private ContentTypes() {}

  static String of(String fileName) {
    int dot = fileName.lastIndexOf('.');
    if (dot < 0) return BYTES;
    return BY_EXTENSION.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), BYTES);
  }
}
