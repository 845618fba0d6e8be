/**
 * Transactional isolation, checked as Elle checks it: the transactions of a history (list-append or
 * read-write registers) are linked by the write-write, write-read and read-write dependencies their
 * values reveal, plus process and real-time order; the cycles of that graph, and the anomalies one
 * transaction shows alone, are named as Adya and Elle name them (G0, G1a, G1b, G1c, G-single-item,
 * G2-item, ...), and a consistency model holds when none of the anomalies it forbids was found.
 * {@link io.faultline.checkers.txn.TxnChecker} is the whole public surface.
 */
package io.faultline.checkers.txn;
