package io.faultline.harness.cli;

/** Entry point of the {@code faultline} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(0);
  }
}
