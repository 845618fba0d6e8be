package io.faultline.targets.node;

/**
 * A message between nodes of one protocol. Implementations are immutable values (records), so the
 * simulator may hand the same instance to a receiver twice; the real binding encodes them with the
 * protocol's {@link MessageCodec}.
 */
public interface Message {}
