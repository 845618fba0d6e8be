/**
 * Benchmarks behind {@code faultline bench}: figures measured in-process, printed with the
 * reference figures they are compared against. Speed is measured here, never asserted in tests.
 */
package io.faultline.harness.bench;
