package io.faultline.harness;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Says on the console why a test did not run (no Chromium, no root for a mount, a long profile not
 * asked for), which Surefire otherwise keeps in its XML: a skipped test must never look like a
 * passed one to whoever reads the build's output.
 */
public final class SkipReasons implements TestExecutionListener {
  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    System.out.println("SKIPPED " + test.getDisplayName() + ": " + reason);
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      System.out.println("SKIPPED " + test.getDisplayName() + ": "
          + result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
    }
  }
}
