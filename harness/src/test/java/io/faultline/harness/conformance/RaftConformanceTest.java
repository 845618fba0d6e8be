package io.faultline.harness.conformance;

/** The bundled Raft keeps the conformance kit's promises. */
class RaftConformanceTest extends ConformanceTest {
  @Override
  protected String target() {
    return "raft";
  }

  @Override
  protected int seeds() {
    return 150;
  }
}
