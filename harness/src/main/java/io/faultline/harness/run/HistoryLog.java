package io.faultline.harness.run;

import io.faultline.checkers.history.HistoryWriter;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The history as it is recorded. Each record gets the next index and the monotonic time since the
 * test began under one lock, so index order is time order. Records are streamed to {@code
 * history.jsonl} by a writer thread that flushes whenever it has caught up, so a controller that
 * dies mid-run leaves on disk all but the last few milliseconds of what it recorded, and no worker
 * ever waits for the disk.
 *
 * <p>Contract. {@link #record} is safe from any thread and never blocks on I/O; a write error is
 * kept (see {@link #writeError()}) and the history stays whole in memory, for the store to write
 * again.
 */
public final class HistoryLog implements AutoCloseable {
  private static final Op END = new Op(-1, -1, OpType.INFO, "end", "end", null, null, null, null, 0);

  private final LongSupplier clock;
  private final List<Op> records = new ArrayList<>();
  private final LinkedBlockingQueue<Op> pending;
  private final Thread writer;
  private final AtomicLong oks = new AtomicLong();
  private final AtomicLong fails = new AtomicLong();
  private final AtomicLong refusals = new AtomicLong();
  private final AtomicLong infos = new AtomicLong();
  private volatile IOException writeError;
  private boolean closed;

  /**
   * A history streamed to {@code file} as it is recorded.
   *
   * @param file where the records are streamed (created or truncated)
   * @param clock nanoseconds since the test began: the run's {@link io.faultline.harness.runtime.Loop#now}
   */
  public HistoryLog(Path file, LongSupplier clock) throws IOException {
    this.clock = clock;
    this.pending = new LinkedBlockingQueue<>();
    Writer out = StoreWrites.textFile(file);
    this.writer = new Thread(() -> drain(out), "history-writer");
    writer.setDaemon(true);
    writer.start();
  }

  private HistoryLog(LongSupplier clock) {
    this.clock = clock;
    this.pending = null;
    this.writer = null;
  }

  /**
   * A history kept in memory only, for a simulated run that is written to the store afterwards if
   * at all (a sweep keeps only failing seeds); no thread, nothing on disk.
   */
  public static HistoryLog inMemory(LongSupplier clock) {
    return new HistoryLog(clock);
  }

  /** Nanoseconds since the test began. */
  public long now() {
    return clock.getAsLong();
  }

  /** Records {@code op} with the next index and the current time; returns the record as stored. */
  public Op record(Op op) {
    Op stamped;
    synchronized (this) {
      if (closed) throw new IllegalStateException("the history is closed");
      stamped = new Op(records.size(), now(), op.type(), op.process(), op.f(), op.key(), op.value(), op.error(),
          op.node(), 0);
      records.add(stamped);
      if (pending != null) pending.add(stamped);
    }
    if (stamped.isClient()) {
      switch (stamped.type()) {
        case OK -> oks.incrementAndGet();
        case FAIL -> {
          fails.incrementAndGet();
          if (io.faultline.workloads.client.TargetWire.isRefusal(stamped)) refusals.incrementAndGet();
        }
        case INFO -> infos.incrementAndGet();
        default -> {}
      }
    }
    return stamped;
  }

  /** A nemesis action: one {@code info} record of process {@code nemesis}. */
  public Op nemesis(String f, Object value) {
    return record(new Op(-1, -1, OpType.INFO, Op.NEMESIS, f, null, value, null, null, 0));
  }

  /** A copy of every record so far. */
  public synchronized List<Op> records() {
    return new ArrayList<>(records);
  }

  public long oks() {
    return oks.get();
  }

  public long fails() {
    return fails.get();
  }

  /** The fails that were refusals (see {@link io.faultline.workloads.client.TargetWire#isRefusal}). */
  public long refusals() {
    return refusals.get();
  }

  public long infos() {
    return infos.get();
  }

  /** The first error writing {@code history.jsonl}, or null. */
  public IOException writeError() {
    return writeError;
  }

  /** Writes what is pending, then closes the file; records after this are refused. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) return;
      closed = true;
      if (pending == null) return;
      pending.add(END);
    }
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void drain(Writer out) {
    List<Op> batch = new ArrayList<>();
    try (out) {
      while (true) {
        batch.clear();
        batch.add(pending.take());
        pending.drainTo(batch);
        boolean end = false;
        for (Op op : batch) {
          if (op == END) {
            end = true;
            break;
          }
          if (writeError == null) {
            try {
              out.write(HistoryWriter.toJsonLine(op));
              out.write('\n');
            } catch (IOException e) {
              writeError = e;
            }
          }
        }
        if (writeError == null) {
          try {
            out.flush();
          } catch (IOException e) {
            writeError = e;
          }
        }
        if (end) return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      if (writeError == null) writeError = e;
    }
  }
}
