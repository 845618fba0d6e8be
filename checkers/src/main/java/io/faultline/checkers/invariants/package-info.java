/**
 * Checkers for invariants that do not need a linearizability search: a grow-only set
 * ({@link io.faultline.checkers.invariants.SetFullChecker}), a counter
 * ({@link io.faultline.checkers.invariants.CounterChecker}), a bank whose total must be conserved
 * ({@link io.faultline.checkers.invariants.BankChecker}) and an id generator whose ids must be
 * unique ({@link io.faultline.checkers.invariants.UniqueIdsChecker}).
 *
 * <p>Each reads the history once or a few times, so it stays fast on histories far too large for a
 * linearizability search, and each follows the meaning of the Jepsen checker of the same name. They
 * share the client contract: a {@code fail} completion certainly did not take effect, while an
 * {@code info} completion or an operation still pending at the end may have taken effect at any
 * point after its invocation, or never. Keys are ignored; split a multi-key history first.
 *
 * <p>A value these checkers cannot interpret (a read of a set that is not a collection, a counter
 * delta that is not an integer) is reported as malformed and makes the verdict unknown rather than
 * false, because it proves nothing about the system under test.
 */
package io.faultline.checkers.invariants;
