/**
 * {@code faultline shrink}: from a failing simulated run to the smallest run that still fails the
 * same check ({@link io.faultline.harness.shrink.Shrinker}), by editing the run's spec and its
 * nemesis schedule window by window ({@code Window}).
 */
package io.faultline.harness.shrink;
