/**
 * Sequential specifications in Porcupine's shape (an initial state and a step function), and the
 * explicit {@link io.faultline.checkers.model.Semantics} on which Knossos and Porcupine disagree:
 * what a nil read and a failed operation mean.
 */
package io.faultline.checkers.model;
