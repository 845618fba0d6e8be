package io.faultline.targets.twopc;

import io.faultline.targets.kv.Command;
import io.faultline.targets.node.Message;
import java.util.List;
import java.util.Map;

/** The messages of two-phase commit with presumed abort. */
sealed interface TwoPcMessage extends Message {
  /** Phase 1: lock, try {@code commands} on this participant's shard, log them and vote. */
  record Prepare(String txid, List<Command> commands) implements TwoPcMessage {}

  /** The vote: yes with what the reads among the commands saw, or no with why. */
  record Vote(String txid, boolean yes, String reason, Map<String, Object> reads) implements TwoPcMessage {}

  /** Phase 2: the decision. */
  record Decision(String txid, boolean commit) implements TwoPcMessage {}

  /** A participant has made the commit durable (or forgotten the abort). */
  record Ack(String txid) implements TwoPcMessage {}

  /** An in-doubt participant asks its coordinator for the decision. */
  record Query(String txid) implements TwoPcMessage {}
}
