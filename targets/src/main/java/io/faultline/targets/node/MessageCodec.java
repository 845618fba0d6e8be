package io.faultline.targets.node;

/**
 * Turns a protocol's messages into bytes and back, for the real binding's TCP frames.
 *
 * <p>Contract: {@code decode(encode(m))} equals {@code m}; {@code decode} throws
 * {@link IllegalArgumentException} on bytes it did not produce, and never returns null.
 */
public interface MessageCodec {
  byte[] encode(Message message);

  Message decode(byte[] bytes);
}
