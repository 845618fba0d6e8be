/**
 * The transactional workloads, as Jepsen's Elle tests: {@code list-append} (appends of unique values
 * to lists, and reads of whole lists) and {@code rw-register} (unique writes to registers, and
 * reads), random transactions of a few micro-ops over a rolling set of keys, checked for the
 * consistency model asked (strict serializable by default) by the transactional-isolation checker.
 */
package io.faultline.workloads.txn;
