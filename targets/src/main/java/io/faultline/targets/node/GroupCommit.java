package io.faultline.targets.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit for a node's storage: what is appended in one turn of the event loop is synced once,
 * by a zero-delay timer that runs after the events already queued, and the actions that must wait
 * for durability (answers that claim something is on disk) run right after that sync.
 *
 * <p>Contract: one per incarnation (make a new one in {@link Node#start}, so a timer of an earlier
 * incarnation is never mistaken for this one's); the node hands every timer to {@link #onTimer}
 * first. Called on the node's thread only, like the node.
 */
public final class GroupCommit {
  private record Flush(GroupCommit owner) {}

  private final NodeContext ctx;
  private final Flush tag = new Flush(this);
  private boolean scheduled;
  private boolean unsynced;
  private final List<Runnable> waiting = new ArrayList<>();

  public GroupCommit(NodeContext ctx) {
    this.ctx = ctx;
  }

  /** Appends a record, to be synced at the next flush. */
  public void append(byte[] record) {
    ctx.storage().append(record);
    unsynced = true;
  }

  /** Runs {@code action} once everything appended so far is durable. */
  public void afterSync(Runnable action) {
    waiting.add(action);
    schedule();
  }

  /** Makes sure a flush comes, for records appended that nothing waits for yet. */
  public void schedule() {
    if (scheduled) return;
    scheduled = true;
    ctx.schedule(Duration.ZERO, tag);
  }

  /** After a {@link Storage#rewrite}, which is durable: nothing is left to sync. */
  public void rewritten() {
    unsynced = false;
  }

  /** True when the timer was this group commit's flush, which has then run. */
  public boolean onTimer(Timer timer) {
    if (timer.tag() != tag) return false;
    scheduled = false;
    if (unsynced) {
      ctx.storage().sync();
      unsynced = false;
    }
    List<Runnable> ready = new ArrayList<>(waiting);
    waiting.clear();
    for (Runnable r : ready) r.run();
    return true;
  }
}
