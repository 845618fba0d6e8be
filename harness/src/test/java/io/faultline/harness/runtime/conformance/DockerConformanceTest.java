package io.faultline.harness.runtime.conformance;

import io.faultline.harness.runtime.docker.DockerHosts;
import io.faultline.nemesis.FaultKind;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;

/** {@code --runtime docker}: containers of the node image, iptables inside them, the engine's signals. */
class DockerConformanceTest extends RuntimeConformance {
  @BeforeAll
  static void needsAnEngine() {
    DockerHosts.assumeUsable();
  }

  @Override
  protected String runtime() {
    return "docker";
  }

  @Override
  protected Set<FaultKind> kinds() {
    return allBut();
  }

  @Override
  protected void assertNothingLeftElsewhere() throws Exception {
    DockerHosts.assertNothingLeft();
  }
}
