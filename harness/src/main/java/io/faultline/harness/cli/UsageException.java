package io.faultline.harness.cli;

/** Bad arguments or input: the message is printed as one line and the command exits 254. */
final class UsageException extends RuntimeException {
  UsageException(String message) {
    super(message);
  }
}
