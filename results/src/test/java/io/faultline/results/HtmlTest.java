package io.faultline.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void escapesMarkupAndQuotes() {
    assertEquals("&lt;b a=&quot;1&quot; c=&#39;2&#39;&gt;x &amp; y&lt;/b&gt;", Html.esc("<b a=\"1\" c='2'>x & y</b>"));
    assertEquals("", Html.esc(null));
    assertEquals("plain", Html.esc("plain"));
  }

  @Test
  void showsCharactersThatMarkupCannotCarry() {
    assertEquals("a\\u0000b\\u001Bc\\u0085", Html.esc("a\u0000b\u001Bc\u0085"));
    assertEquals("tab\there\nnewline", Html.esc("tab\there\nnewline"));
    assertEquals("lone \\uD800 half", Html.esc("lone \uD800 half"));
    assertEquals("emoji 😀 kept", Html.esc("emoji \uD83D\uDE00 kept"));
    assertEquals("\\uFFFE", Html.esc("\uFFFE"));
  }

  @Test
  void clipsOnCodePointBoundaries() {
    assertEquals("short", Html.clip("short", 10));
    assertEquals("abcd…", Html.clip("abcdefgh", 5));
    // The cut would split the pair: it moves back instead.
    assertEquals("abc…", Html.clip("abc\uD83D\uDE00efgh", 5));
    assertEquals("abcd… (4 more characters)", Html.clipNoted("abcdefgh", 5));
  }
}
