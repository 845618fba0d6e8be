package io.faultline.targets.node;

import java.util.List;

/**
 * A node's durable storage: one append-only log of opaque records.
 *
 * <p>Contract. Appended records are durable only once {@link #sync} returns; a crash keeps every
 * synced record and may keep any prefix of the records appended since (never a later record
 * without the earlier ones, never a torn record). {@link #rewrite} replaces the whole log
 * atomically and durably, which is how a node compacts. Storage never reorders records. Errors of
 * the device are fatal to the node: they surface as {@link java.io.UncheckedIOException}.
 */
public interface Storage {

  /** Appends one record to the end of the log; not durable until {@link #sync}. */
  void append(byte[] record);

  /** Makes every record appended so far durable (fdatasync in the real binding). */
  void sync();

  /** Every record in the log, oldest first: what {@link Node#start} recovers from. */
  List<byte[]> readAll();

  /** Atomically replaces the whole log with {@code records}, durably, before returning. */
  void rewrite(List<byte[]> records);
}
