package io.faultline.checkers.linear;

import io.faultline.checkers.Validity;
import java.util.List;

/**
 * A linearizability check of a whole history: the verdict and every part's. This is the evidence a
 * linearizability {@link io.faultline.checkers.Result} carries for renderers.
 *
 * @param model the model's name
 * @param validity false if any part is false, else unknown if any is unknown, else true
 * @param partitions each part's verdict, false ones first
 * @param elapsedNanos wall time the check took
 */
public record Analysis(String model, Validity validity, List<PartitionVerdict> partitions, long elapsedNanos) {

  /** The counterexamples of the false parts, in order. */
  public List<Counterexample> counterexamples() {
    return partitions.stream()
        .filter(p -> p.counterexample() != null)
        .map(PartitionVerdict::counterexample)
        .toList();
  }
}
