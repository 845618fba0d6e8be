package io.faultline.harness.conformance;

/** The bundled two-phase-commit store keeps the conformance kit's promises, with the bank and the register. */
class TwoPcConformanceTest extends ConformanceTest {
  @Override
  protected String target() {
    return "twopc";
  }

  @Override
  protected int seeds() {
    return 100;
  }
}
