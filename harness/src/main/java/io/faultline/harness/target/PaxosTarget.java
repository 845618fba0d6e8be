package io.faultline.harness.target;

import io.faultline.targets.paxos.PaxosNodeFactory;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** The bundled Multi-Paxos key/value store: registers, compare-and-set, grow-only sets and transactions (one slot each), linearizable and strict serializable. */
public final class PaxosTarget extends BundledTarget {
  public PaxosTarget() {
    super(new PaxosNodeFactory(), List.of("register", "set", "bank", "list-append", "rw-register", "lww-register", "g-set"));
  }

  /**
   * Checkpoints every few slots (so catch-up from a checkpoint runs), short or long election
   * timeouts, reads through the log or by lease: the paths the defaults (a checkpoint every thousand
   * slots) almost never take in a short run.
   */
  @Override
  public Map<String, String> swarmSettings(Random random) {
    Map<String, String> s = new TreeMap<>();
    s.put("checkpoint-every", String.valueOf(new int[] {3, 10, 50, 1000}[random.nextInt(4)]));
    s.put("max-catch-up", String.valueOf(new int[] {1, 4, 256}[random.nextInt(3)]));
    int election = new int[] {80, 150, 300}[random.nextInt(3)];
    s.put("election-timeout", String.valueOf(election));
    s.put("heartbeat", String.valueOf(Math.max(10, election / (3 + random.nextInt(3)))));
    s.put("read", random.nextBoolean() ? "log" : "lease");
    return s;
  }
}
