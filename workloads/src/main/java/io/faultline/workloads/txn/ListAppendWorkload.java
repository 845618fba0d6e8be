package io.faultline.workloads.txn;

import io.faultline.checkers.txn.TxnChecker;

/**
 * Elle's list-append: transactions of {@code [append k v]} and {@code [r k nil]} micro-ops; a read
 * answers the whole list, so every read reveals the order of the appends before it, which is what
 * lets the checker infer write-write and read-write dependencies and name the anomalies.
 */
public final class ListAppendWorkload extends TxnWorkload {
  public ListAppendWorkload(Options options) {
    super(TxnChecker.Workload.LIST_APPEND, options);
  }

  /** {@link Options#standard()}: how the workload registry makes it. */
  public ListAppendWorkload() {
    this(Options.standard());
  }

  @Override
  public ListAppendWorkload configure(java.util.Map<String, String> settings) {
    return new ListAppendWorkload(options().with(settings));
  }
}
