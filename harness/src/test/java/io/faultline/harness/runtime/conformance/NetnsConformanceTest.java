package io.faultline.harness.runtime.conformance;

import io.faultline.nemesis.FaultKind;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** {@code --runtime netns}: the local runtime's processes in namespaces of their own, iptables for the links. */
class NetnsConformanceTest extends RuntimeConformance {
  @BeforeAll
  static void needsRoot() {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "not root: the netns runtime is not tested");
  }

  @Override
  protected String runtime() {
    return "netns";
  }

  @Override
  protected Set<FaultKind> kinds() {
    return allBut();
  }
}
