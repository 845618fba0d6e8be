package io.faultline.targets.clientprotocol;

import java.util.Objects;

/**
 * A node's answer to a {@link Request}.
 *
 * @param status done, not done, or unknown
 * @param value the result when done (a read's value, null for a missing key), else null
 * @param error why it was not done or is unknown, else null
 * @param leader the node this one believes is the leader, when it is not the leader; else null
 * @param clock the stamp of what was written or read, for the client's causal clock; else null
 */
public record Response(Status status, Object value, String error, String leader, Long clock) {
  public Response {
    Objects.requireNonNull(status, "status");
  }

  public Response(Status status, Object value, String error, String leader) {
    this(status, value, error, leader, null);
  }

  /** This answer carrying {@code stamp} for the client's causal clock. */
  public Response withClock(long stamp) {
    return new Response(status, value, error, leader, stamp);
  }

  public static Response done(Object value) {
    return new Response(Status.DONE, value, null, null);
  }

  public static Response notDone(String error, String leader) {
    return new Response(Status.NOT_DONE, null, error, leader);
  }

  public static Response unknown(String error) {
    return new Response(Status.UNKNOWN, null, error, null);
  }
}
