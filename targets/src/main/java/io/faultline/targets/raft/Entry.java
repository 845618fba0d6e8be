package io.faultline.targets.raft;

import io.faultline.targets.kv.Command;

import java.util.Objects;

/** One log entry: its position, the term of the leader that created it, and its command. */
record Entry(long index, long term, Command command) {
  Entry {
    Objects.requireNonNull(command, "command");
    if (index < 1 || term < 1) {
      throw new IllegalArgumentException("entry needs index and term >= 1, got " + index + "/" + term);
    }
  }
}
