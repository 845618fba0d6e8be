package io.faultline.checkers.history;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Passes text through and shows every character read to {@link #see}, which may stop the read by
 * throwing. Skipped text is read and seen like any other, so that skipping cannot get past a
 * watcher's bounds.
 */
abstract class WatchingReader extends FilterReader {
  WatchingReader(Reader in) {
    super(in);
  }

  /** Called once per character, in order, as it is read. */
  abstract void see(char c);

  @Override
  public int read() throws IOException {
    int c = in.read();
    if (c != -1) see((char) c);
    return c;
  }

  @Override
  public int read(char[] buf, int off, int len) throws IOException {
    int n = in.read(buf, off, len);
    for (int i = off; i < off + n; i++) see(buf[i]);
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    char[] buf = new char[(int) Math.min(Math.max(n, 0), 8192)];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) break;
      skipped += r;
    }
    return skipped;
  }
}
