package io.faultline.nemesis;

import java.time.Duration;
import java.util.Objects;

/**
 * How one directed link is degraded: a share of packets lost, and a delay added to every packet
 * with up to {@code jitter} more drawn at random. On a stream transport (TCP) a lost packet is
 * retransmitted, so loss shows as stalls rather than missing bytes; a runtime that works on streams
 * (the local runtime's proxies) emulates it that way.
 *
 * <p>A packet may also arrive twice. A stream transport removes duplicates itself, so the local
 * runtime's proxies ignore {@code duplicate}; the simulator, whose messages are datagrams, delivers
 * the copy, which is what a protocol must cope with.
 *
 * @param loss the probability a packet is lost, 0 to 1
 * @param delay added to every packet
 * @param jitter up to this much more, drawn per packet
 * @param duplicate the probability a packet arrives twice, 0 to 1
 */
public record PacketFault(double loss, Duration delay, Duration jitter, double duplicate) {
  /** No degradation. */
  public static final PacketFault NONE = new PacketFault(0, Duration.ZERO, Duration.ZERO, 0);

  public PacketFault {
    if (!(loss >= 0 && loss <= 1)) throw new IllegalArgumentException("loss must be between 0 and 1, got " + loss);
    if (!(duplicate >= 0 && duplicate <= 1)) throw new IllegalArgumentException("duplicate must be between 0 and 1, got " + duplicate);
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(jitter, "jitter");
    if (delay.isNegative() || jitter.isNegative()) throw new IllegalArgumentException("delay and jitter must not be negative");
  }

  public PacketFault(double loss, Duration delay, Duration jitter) {
    this(loss, delay, jitter, 0);
  }

  public static PacketFault loss(double loss) {
    return new PacketFault(loss, Duration.ZERO, Duration.ZERO, 0);
  }

  public static PacketFault latency(Duration delay, Duration jitter) {
    return new PacketFault(0, delay, jitter, 0);
  }
}
