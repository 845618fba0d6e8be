package io.faultline.harness.target;

import io.faultline.targets.raft.RaftNodeFactory;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** The bundled Raft key/value store: registers, compare-and-set, grow-only sets and transactions (one log entry each), linearizable and strict serializable. */
public final class RaftTarget extends BundledTarget {
  public RaftTarget() {
    super(new RaftNodeFactory(), List.of("register", "set", "bank", "list-append", "rw-register", "lww-register", "g-set"));
  }

  /**
   * Snapshots every few entries (so InstallSnapshot runs), batches of one entry or a few, short or
   * long election timeouts, reads by ReadIndex or by lease: the paths the default settings (a
   * snapshot every thousand entries, 256-entry batches) almost never take in a 30 s run.
   */
  @Override
  public Map<String, String> swarmSettings(Random random) {
    Map<String, String> s = new TreeMap<>();
    s.put("snapshot-every", String.valueOf(new int[] {3, 10, 50, 1000}[random.nextInt(4)]));
    s.put("max-batch", String.valueOf(new int[] {1, 4, 256}[random.nextInt(3)]));
    int election = new int[] {80, 150, 300}[random.nextInt(3)];
    s.put("election-timeout", String.valueOf(election));
    s.put("heartbeat", String.valueOf(Math.max(10, election / (3 + random.nextInt(3)))));
    s.put("read", random.nextBoolean() ? "read-index" : "lease");
    return s;
  }
}
