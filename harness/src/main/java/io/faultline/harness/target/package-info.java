/**
 * The target seam: what a kind of system is ({@link io.faultline.harness.target.Target}), whether
 * its nodes are bundled ({@link io.faultline.harness.target.BundledTarget}) or an external
 * system's, and what a runtime tells a target about where its nodes are ({@link
 * io.faultline.harness.target.Layout}). Targets are found by name in {@link
 * io.faultline.harness.Registries#TARGETS}.
 */
package io.faultline.harness.target;
