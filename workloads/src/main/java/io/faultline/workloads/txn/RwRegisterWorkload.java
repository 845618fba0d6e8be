package io.faultline.workloads.txn;

import io.faultline.checkers.txn.TxnChecker;

/**
 * Elle's rw-register: transactions of {@code [w k v]} and {@code [r k nil]} micro-ops over registers,
 * every write unique per key. A read reveals one version only, so less can be inferred than from
 * list-append; the checker also uses that writes follow reads within a transaction and, under strict
 * serializability, real-time order per key.
 */
public final class RwRegisterWorkload extends TxnWorkload {
  public RwRegisterWorkload(Options options) {
    super(TxnChecker.Workload.RW_REGISTER, options);
  }

  /** {@link Options#standard()}: how the workload registry makes it. */
  public RwRegisterWorkload() {
    this(Options.standard());
  }

  @Override
  public RwRegisterWorkload configure(java.util.Map<String, String> settings) {
    return new RwRegisterWorkload(options().with(settings));
  }
}
