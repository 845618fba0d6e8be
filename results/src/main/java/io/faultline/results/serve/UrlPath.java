package io.faultline.results.serve;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The path of a request as decoded segments. Decoding is strict and done here, segment by segment,
 * rather than by {@link java.net.URI#getPath}, because a decoded path can no longer tell an encoded
 * slash from a separator. Anything that could make a segment mean more than one folder entry is
 * refused, so that resolving the segments one by one can only walk down.
 */
final class UrlPath {
  final List<String> segments;
  /** Whether the path ended with a slash, as a folder's address does. */
  final boolean folder;

  private UrlPath(List<String> segments, boolean folder) {
    this.segments = List.copyOf(segments);
    this.folder = folder;
  }

  static UrlPath parse(String rawPath) throws Refusal {
    if (rawPath == null || !rawPath.startsWith("/")) throw Refusal.badRequest("the path must start with /");
    String body = rawPath.substring(1);
    boolean folder = body.endsWith("/");
    if (folder) body = body.substring(0, body.length() - 1);
    List<String> segments = new ArrayList<>();
    if (!body.isEmpty()) {
      for (String raw : body.split("/", -1)) segments.add(segment(raw));
    }
    return new UrlPath(segments, folder);
  }

  private static String segment(String raw) throws Refusal {
    if (raw.isEmpty()) throw Refusal.badRequest("empty path segment (//) in the path");
    String s = decode(raw);
    if (s.equals(".") || s.equals("..")) throw Refusal.badRequest(". and .. are not allowed in a path");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '/' || c == '\\') throw Refusal.badRequest("encoded / or \\ in a path segment");
      if (c == 0) throw Refusal.badRequest("NUL in the path");
      if (c < 0x20 || c == 0x7f) throw Refusal.badRequest("control character in the path");
    }
    return s;
  }

  /** Percent-decoding as UTF-8; '+' stays '+' in a path, and a malformed escape is refused. */
  static String decode(String raw) throws Refusal {
    if (raw.indexOf('%') < 0) return raw;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '%') {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
        continue;
      }
      if (i + 2 >= raw.length()) throw Refusal.badRequest("malformed percent-escape in the path");
      int hi = Character.digit(raw.charAt(i + 1), 16);
      int lo = Character.digit(raw.charAt(i + 2), 16);
      if (hi < 0 || lo < 0) throw Refusal.badRequest("malformed percent-escape in the path");
      bytes.write(hi << 4 | lo);
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw Refusal.badRequest("the path is not UTF-8");
    }
  }

  /** One segment for a link: every byte but the unreserved characters percent-encoded. */
  static String encode(String segment) {
    StringBuilder sb = new StringBuilder(segment.length() + 8);
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
          || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  /** An absolute link made of {@code prefix} (such as {@code /runs}) and encoded segments. */
  static String link(String prefix, Iterable<String> segments) {
    StringBuilder sb = new StringBuilder(prefix);
    for (String s : segments) sb.append('/').append(encode(s));
    return sb.toString();
  }
}
