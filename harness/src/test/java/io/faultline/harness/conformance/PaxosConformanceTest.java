package io.faultline.harness.conformance;

/** The bundled Multi-Paxos keeps the conformance kit's promises. */
class PaxosConformanceTest extends ConformanceTest {
  @Override
  protected String target() {
    return "paxos";
  }

  @Override
  protected int seeds() {
    return 150;
  }
}
