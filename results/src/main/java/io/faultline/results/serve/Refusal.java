package io.faultline.results.serve;

/** A request the server will not answer with content: the status and one short line for the reader. */
final class Refusal extends Exception {
  final int status;

  private Refusal(int status, String message) {
    // No stack trace: refusals are answers, not failures, and must never reach a response.
    super(message, null, false, false);
    this.status = status;
  }

  static Refusal badRequest(String message) {
    return new Refusal(400, message);
  }

  static Refusal forbidden(String message) {
    return new Refusal(403, message);
  }

  static Refusal notFound(String message) {
    return new Refusal(404, message);
  }

  static Refusal methodNotAllowed(String message) {
    return new Refusal(405, message);
  }
}
