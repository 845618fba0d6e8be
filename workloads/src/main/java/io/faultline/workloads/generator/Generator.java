package io.faultline.workloads.generator;

/**
 * Yields the next operation of a workload, or says to wait, or that it is exhausted.
 *
 * <p>Contract. A generator is an immutable value: {@link #next} never changes it, and the state
 * that follows an answer travels in the answer ({@link Next.Invoke#rest()}, {@link
 * Next.Pending#rest()}). It draws randomness only from {@link Context#random()}, never reads a
 * clock and never blocks. An invocation it yields is for a process in {@link
 * Context#freeProcesses()} at a time no earlier than {@link Context#timeNanos()}.
 *
 * <p>The interpreter's side: it commits to every invocation it is given (the process is busy from
 * that moment until the operation completes, even when the invocation is for a later time), and
 * after a {@link Next.Pending} it asks again, with the rest, at the time named or as soon as a
 * process frees, whichever comes first.
 */
@FunctionalInterface
public interface Generator {
  Next next(Context context);
}
