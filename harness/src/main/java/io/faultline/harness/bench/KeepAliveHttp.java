package io.faultline.harness.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A bare HTTP/1.1 client over one kept-alive socket: write a request, read one response with a
 * Content-Length body. Benchmarks use it instead of {@link java.net.http.HttpClient} so that the
 * figures measure the nodes, not the client's selector thread and the hand-offs around it (which
 * cost more than a loopback round trip). Not for general use: no chunked bodies, no redirects.
 */
final class KeepAliveHttp implements AutoCloseable {
  private final String host;
  private final int port;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  KeepAliveHttp(String address) {
    int colon = address.lastIndexOf(':');
    this.host = address.substring(0, colon);
    this.port = Integer.parseInt(address.substring(colon + 1));
  }

  /** Sends one request and returns the response body; the connection is reopened after an error. */
  String exchange(String method, String path, String body) throws IOException {
    try {
      if (socket == null) open();
      byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + payload.length + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(payload);
      out.flush();
      return readResponse();
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private void open() throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(10_000);
    socket.connect(new InetSocketAddress(host, port), 2_000);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream());
  }

  private String readResponse() throws IOException {
    int contentLength = -1;
    String line = readLine();
    if (!line.startsWith("HTTP/1.1 ")) throw new IOException("not an HTTP/1.1 response: " + line);
    while (!(line = readLine()).isEmpty()) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
        contentLength = Integer.parseInt(line.substring(colon + 1).trim());
      }
    }
    if (contentLength < 0) throw new IOException("response without Content-Length");
    byte[] body = in.readNBytes(contentLength);
    if (body.length < contentLength) throw new IOException("connection closed inside a response body");
    return new String(body, StandardCharsets.UTF_8);
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) throw new IOException("connection closed inside a response head");
      if (b != '\r') line.write(b);
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing is best effort; the next exchange opens a new socket
      }
    }
    socket = null;
  }
}
