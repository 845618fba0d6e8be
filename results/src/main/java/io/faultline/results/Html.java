package io.faultline.results;

/**
 * Escaping and clipping of arbitrary text for the pages this module writes (reports, counterexamples,
 * the store browser). Values in a history are arbitrary strings,
 * so every piece of text that reaches the page goes through {@link #esc}; the output is also
 * well-formed XML, which lets tests (and tools) parse the page.
 */
public final class Html {
  private Html() {}

  /**
   * Escapes text for use in element content and in quoted attributes alike, and replaces
   * characters that neither HTML nor XML may carry (control characters, lone surrogates,
   * non-characters) by a visible {@code \\uXXXX}, so that a stray NUL in a value neither breaks the
   * page nor disappears silently.
   */
  public static String esc(String s) {
    if (s == null) return "";
    StringBuilder sb = null;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      String rep = null;
      switch (c) {
        case '&' -> rep = "&amp;";
        case '<' -> rep = "&lt;";
        case '>' -> rep = "&gt;";
        case '"' -> rep = "&quot;";
        case '\'' -> rep = "&#39;";
        default -> {
          if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
            if (sb != null) sb.append(c).append(s.charAt(i + 1));
            i++;
            continue;
          }
          if (!allowed(c)) rep = String.format("\\u%04X", (int) c);
        }
      }
      if (rep != null) {
        if (sb == null) sb = new StringBuilder(n + 16).append(s, 0, i);
        sb.append(rep);
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }

  /** Whether a single UTF-16 unit may appear as itself (surrogate pairs are handled by the caller). */
  private static boolean allowed(char c) {
    if (c == '\t' || c == '\n' || c == '\r') return true;
    if (c < 0x20) return false;
    if (c >= 0x7F && c <= 0x9F) return false; // C1 controls: legal XML, but HTML parse errors
    if (Character.isSurrogate(c)) return false; // a lone half of a pair
    return c != 0xFFFE && c != 0xFFFF;
  }

  /**
   * At most {@code max} characters of {@code s}, cut on a code point boundary, with an ellipsis when
   * cut. Keeps the page bounded when a value or a model state is megabytes long.
   */
  public static String clip(String s, int max) {
    if (s == null) return "";
    if (s.length() <= max) return s;
    int cut = max - 1;
    if (cut > 0 && Character.isHighSurrogate(s.charAt(cut - 1))) cut--;
    return s.substring(0, Math.max(cut, 0)) + "…";
  }

  /** Like {@link #clip}, but says how much was left out; for tables and tooltips, where people look for it. */
  public static String clipNoted(String s, int max) {
    if (s == null) return "";
    if (s.length() <= max) return s;
    String head = clip(s, max);
    return head + " (" + (s.length() - head.length() + 1) + " more characters)";
  }
}
