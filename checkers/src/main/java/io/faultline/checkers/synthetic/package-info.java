/**
 * Histories made by simulating concurrent clients against a correct register, for tests and
 * benchmarks of the checkers: linearizable by construction, and as large as wanted.
 */
package io.faultline.checkers.synthetic;
