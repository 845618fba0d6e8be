package io.faultline.targets.sim;

/**
 * One node's log, every line stamped with virtual time ({@code seconds.micros}). Bounded, because a
 * chatty node over a long run would otherwise hold the heap; the lines past the bound are counted.
 */
public final class VirtualLog {
  static final int MAX_CHARS = 8 << 20;

  private final StringBuilder text = new StringBuilder(4096);
  private long dropped;

  public void line(long nanos, String line) {
    if (text.length() >= MAX_CHARS) {
      dropped++;
      return;
    }
    stamp(text, nanos);
    text.append(' ').append(line).append('\n');
  }

  /** Writes {@code nanos} as {@code s.uuuuuu}, padded to a fixed width so logs line up. */
  public static void stamp(StringBuilder sb, long nanos) {
    long micros = nanos / 1000;
    String s = Long.toString(micros / 1_000_000);
    for (int i = s.length(); i < 4; i++) sb.append(' ');
    sb.append(s).append('.');
    String frac = Long.toString(micros % 1_000_000);
    for (int i = frac.length(); i < 6; i++) sb.append('0');
    sb.append(frac);
  }

  public String text() {
    return dropped == 0 ? text.toString() : text + "... " + dropped + " more lines not kept\n";
  }
}
