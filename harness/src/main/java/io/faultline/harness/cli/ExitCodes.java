package io.faultline.harness.cli;

/** The exit codes Jepsen uses, shared by every subcommand. */
final class ExitCodes {
  private ExitCodes() {}

  static final int VALID = 0;
  static final int INVALID = 1;
  static final int UNKNOWN = 2;
  static final int BAD_ARGUMENTS = 254;
  static final int INTERNAL_ERROR = 255;
}
