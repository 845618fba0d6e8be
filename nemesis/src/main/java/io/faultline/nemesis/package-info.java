/**
 * The nemesis: the kinds of fault, a fault schedule drawn from the run's seed, and the {@link
 * io.faultline.nemesis.Fabric} seam through which a runtime applies faults to its nodes. Every
 * fault start and stop becomes an {@code info} operation of process {@code nemesis} in the history.
 */
package io.faultline.nemesis;
