package io.faultline.harness.runtime.ssh;

/** One host of {@code --hosts}: who logs in, where, on which port. */
record HostAddress(String user, String host, int port) {
  /**
   * Reads {@code user@host[:port]}; the user defaults to root and the port to {@code defaultPort}.
   *
   * @throws IllegalArgumentException naming the entry and the form it should take
   */
  static HostAddress parse(String entry, int defaultPort) {
    String rest = entry.trim();
    String user = "root";
    int at = rest.indexOf('@');
    if (at >= 0) {
      user = rest.substring(0, at);
      rest = rest.substring(at + 1);
    }
    int port = defaultPort;
    int colon = rest.lastIndexOf(':');
    if (colon >= 0 && rest.indexOf(':') == colon) {
      try {
        port = Integer.parseInt(rest.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      rest = rest.substring(0, colon);
    }
    if (user.isEmpty() || rest.isEmpty() || port < 1 || port > 65_535 || rest.contains("/") || rest.contains(" ")) {
      throw new IllegalArgumentException("--hosts entry '" + entry + "' is not user@host[:port]; for example"
          + " root@10.0.0.5:22");
    }
    return new HostAddress(user, rest, port);
  }

  @Override
  public String toString() {
    return user + "@" + host + ":" + port;
  }
}
