package io.faultline.workloads.client;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One kept-alive HTTP/1.1 connection to one address, for {@link HttpTargetClient}: write a POST,
 * read its response, keep the connection for the next one. Bare on purpose: {@link
 * java.net.http.HttpClient} hands every request to its selector thread and back, which on loopback
 * costs more than the round trip itself (a 3-node Raft took about 1,700 writes/s from 32 clients
 * through it, about 10,000 through a bare client).
 *
 * <p>Contract. Not thread-safe: one worker uses it at a time. Every call has a deadline on {@link
 * System#nanoTime()} covering connecting, writing and reading, and never blocks past it. It tells
 * apart the two failures a history must tell apart: {@link NotSentException} when no byte of the
 * request can have reached the server; any other IOException ({@link SocketTimeoutException} for
 * the deadline) once some may have. After any failure the connection is closed, so a late answer
 * is never read as the next request's.
 *
 * <p>Non-blocking I/O with a selector of its own rather than a blocking socket, for one reason: an
 * idle connection the server has since closed (a restarted node, an idle timeout) must be noticed
 * <em>before</em> the next request is written to it. Otherwise the request would be lost into a
 * dead socket and reported as possibly applied, a false {@code info}.
 */
final class KeepAliveHttp implements AutoCloseable {
  /** Refuses a response head or body larger than these: a garbled length must not exhaust the heap. */
  static final int MAX_HEAD_BYTES = 64 << 10;
  static final int MAX_BODY_BYTES = 64 << 20;

  /** The request certainly never reached the server: the connection could not be opened or used. */
  static final class NotSentException extends IOException {
    enum Reason { REFUSED, TIMED_OUT, OTHER }

    private final Reason reason;

    NotSentException(Reason reason, String message, Throwable cause) {
      super(message, cause);
      this.reason = reason;
    }

    Reason reason() {
      return reason;
    }
  }

  /** A response: the HTTP status and the body as UTF-8. */
  record Reply(int status, String body) {}

  private final String host;
  private final int port;
  private final String hostHeader;
  /** Unread response bytes, in read mode (position to limit). Empty between exchanges. */
  private final ByteBuffer buffer = ByteBuffer.allocate(16 << 10);
  private SocketChannel channel;
  private Selector selector;
  private SelectionKey key;
  private long connections;

  /** @param address {@code host:port}, IPv6 as {@code [::1]:port} */
  KeepAliveHttp(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException("expected host:port, got '" + address + "'");
    }
    String h = address.substring(0, colon);
    this.hostHeader = address;
    this.host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    this.port = Integer.parseInt(address.substring(colon + 1));
    buffer.limit(0);
  }

  /** How many connections this client has opened so far; for tests of reuse. */
  long connectionsOpened() {
    return connections;
  }

  /**
   * POSTs {@code body} as JSON to {@code path} and reads the response, all before {@code
   * deadlineNanos}.
   *
   * @throws NotSentException when none of the request can have reached the server
   * @throws SocketTimeoutException when the deadline passed after some of it may have
   * @throws IOException when the connection failed after some of it may have
   */
  Reply post(String path, byte[] body, long deadlineNanos) throws IOException {
    if (channel != null && closedWhileIdle()) close();
    if (channel == null) open(deadlineNanos);
    byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + hostHeader
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    try {
      write(ByteBuffer.wrap(head), ByteBuffer.wrap(body), deadlineNanos);
      Reply reply = readResponse(deadlineNanos);
      if (buffer.hasRemaining()) close(); // bytes beyond the response: the stream cannot be trusted
      return reply;
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private void open(long deadline) throws NotSentException {
    try {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      selector = Selector.open();
      key = channel.register(selector, 0);
      connections++;
      // Resolved at each connect, so that a name that resolves late (a container not yet up) works.
      if (!channel.connect(new InetSocketAddress(host, port))) {
        while (!channel.finishConnect()) await(SelectionKey.OP_CONNECT, deadline);
      }
      buffer.clear().limit(0);
    } catch (IOException | UnresolvedAddressException e) {
      close();
      NotSentException.Reason reason = e instanceof ConnectException ? NotSentException.Reason.REFUSED
          : e instanceof SocketTimeoutException ? NotSentException.Reason.TIMED_OUT
          : NotSentException.Reason.OTHER;
      throw new NotSentException(reason, "cannot connect to " + hostHeader + ": " + e, e);
    }
  }

  /**
   * True when an idle connection has become unusable: the server closed or reset it, or sent bytes
   * nobody asked for. A non-blocking read answers at once.
   */
  private boolean closedWhileIdle() {
    try {
      buffer.clear();
      int n = channel.read(buffer);
      buffer.flip();
      return n != 0;
    } catch (IOException e) {
      return true;
    }
  }

  private void write(ByteBuffer head, ByteBuffer body, long deadline) throws IOException {
    ByteBuffer[] parts = {head, body};
    long written = 0;
    while (body.hasRemaining() || head.hasRemaining()) {
      long n;
      try {
        n = channel.write(parts);
      } catch (IOException e) {
        if (written == 0) {
          throw new NotSentException(NotSentException.Reason.OTHER, "connection to " + hostHeader
              + " failed before the request was sent: " + e.getMessage(), e);
        }
        throw e;
      }
      written += n;
      if (n == 0) await(SelectionKey.OP_WRITE, deadline);
    }
  }

  private Reply readResponse(long deadline) throws IOException {
    int headBytes = 0;
    while (true) {
      String statusLine = readLine(deadline);
      headBytes += statusLine.length();
      if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
        throw new IOException("not an HTTP/1.1 response: " + abbreviate(statusLine));
      }
      int status;
      try {
        status = Integer.parseInt(statusLine.substring(9, 12));
      } catch (NumberFormatException e) {
        throw new IOException("bad status line: " + abbreviate(statusLine));
      }
      long contentLength = -1;
      boolean chunked = false;
      boolean keepAlive = statusLine.startsWith("HTTP/1.1");
      String line;
      while (!(line = readLine(deadline)).isEmpty()) {
        headBytes += line.length();
        if (headBytes > MAX_HEAD_BYTES) throw new IOException("response head longer than " + MAX_HEAD_BYTES + " bytes");
        int colon = line.indexOf(':');
        if (colon <= 0) continue;
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        switch (name) {
          case "content-length" -> {
            try {
              contentLength = Long.parseLong(value);
            } catch (NumberFormatException e) {
              throw new IOException("bad Content-Length: " + abbreviate(value));
            }
          }
          case "transfer-encoding" -> chunked = value.endsWith("chunked");
          case "connection" -> keepAlive = value.contains("keep-alive") || (keepAlive && !value.contains("close"));
          default -> { }
        }
      }
      if (status >= 100 && status < 200) continue; // interim; the real response follows
      byte[] body;
      if (status == 204 || status == 304) {
        body = new byte[0];
      } else if (chunked) {
        body = readChunked(deadline);
      } else if (contentLength >= 0) {
        if (contentLength > MAX_BODY_BYTES) throw new IOException("response body of " + contentLength + " bytes");
        body = readExactly((int) contentLength, deadline);
      } else {
        body = readToEnd(deadline);
        keepAlive = false;
      }
      Reply reply = new Reply(status, new String(body, StandardCharsets.UTF_8));
      if (!keepAlive) close();
      return reply;
    }
  }

  private byte[] readChunked(long deadline) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(deadline);
      int semicolon = sizeLine.indexOf(';');
      long size;
      try {
        size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size: " + abbreviate(sizeLine));
      }
      if (size < 0 || out.size() + size > MAX_BODY_BYTES) throw new IOException("response body over " + MAX_BODY_BYTES + " bytes");
      if (size == 0) {
        while (!readLine(deadline).isEmpty()) { } // trailers
        return out.toByteArray();
      }
      out.write(readExactly((int) size, deadline));
      if (!readLine(deadline).isEmpty()) throw new IOException("chunk not followed by CRLF");
    }
  }

  private byte[] readToEnd(long deadline) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      out.write(buffer.array(), buffer.position(), buffer.remaining());
      buffer.position(buffer.limit());
      if (out.size() > MAX_BODY_BYTES) throw new IOException("response body over " + MAX_BODY_BYTES + " bytes");
      if (!fill(deadline, true)) return out.toByteArray();
    }
  }

  private byte[] readExactly(int n, long deadline) throws IOException {
    byte[] out = new byte[n];
    int have = Math.min(n, buffer.remaining());
    buffer.get(out, 0, have);
    ByteBuffer rest = ByteBuffer.wrap(out, have, n - have);
    while (rest.hasRemaining()) {
      int read = channel.read(rest);
      if (read < 0) throw new EOFException("connection closed inside a response body");
      if (read == 0) await(SelectionKey.OP_READ, deadline);
    }
    return out;
  }

  private String readLine(long deadline) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      while (buffer.hasRemaining()) {
        byte b = buffer.get();
        if (b == '\n') {
          int end = line.length();
          if (end > 0 && line.charAt(end - 1) == '\r') line.setLength(end - 1);
          return line.toString();
        }
        if (line.length() >= MAX_HEAD_BYTES) throw new IOException("response line longer than " + MAX_HEAD_BYTES + " bytes");
        line.append((char) (b & 0xff));
      }
      fill(deadline, false);
    }
  }

  /**
   * Reads more into the (empty) buffer, waiting until the deadline. At the end of the stream it
   * returns false if {@code endOk}, else throws.
   */
  private boolean fill(long deadline, boolean endOk) throws IOException {
    buffer.clear();
    try {
      while (true) {
        int n = channel.read(buffer);
        if (n > 0) return true;
        if (n < 0) {
          if (endOk) return false;
          throw new EOFException("connection closed inside a response head");
        }
        await(SelectionKey.OP_READ, deadline);
      }
    } finally {
      buffer.flip();
    }
  }

  /** Waits until the channel is ready for {@code op} or a while has passed; the caller tries again. */
  private void await(int op, long deadline) throws IOException {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) throw new SocketTimeoutException("deadline passed waiting for " + hostHeader);
    key.interestOps(op);
    selector.select(Math.max(1, (remaining + 999_999) / 1_000_000));
    selector.selectedKeys().clear();
    if (Thread.currentThread().isInterrupted()) throw new InterruptedIOException("interrupted waiting for " + hostHeader);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  /** Closes the connection, if open; the next request opens a new one. Never throws. */
  @Override
  public void close() {
    closeQuietly(selector);
    closeQuietly(channel);
    selector = null;
    channel = null;
    key = null;
    buffer.clear().limit(0);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) return;
    try {
      c.close();
    } catch (Exception ignored) {
      // best effort: the socket is abandoned either way
    }
  }
}
