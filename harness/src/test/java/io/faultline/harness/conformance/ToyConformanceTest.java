package io.faultline.harness.conformance;

/** The tests' toy store keeps the conformance kit's promises too: the kit is not Raft's alone. */
class ToyConformanceTest extends ConformanceTest {
  @Override
  protected String target() {
    return "toy";
  }

  @Override
  protected int seeds() {
    return 30;
  }
}
