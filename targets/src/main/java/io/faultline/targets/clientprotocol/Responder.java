package io.faultline.targets.clientprotocol;

/**
 * Where a node sends its answer to one client request.
 *
 * <p>Contract: a node answers each request at most once; later answers are ignored by the binding.
 * Answering never blocks and never throws, even when the client has gone away.
 */
@FunctionalInterface
public interface Responder {
  void reply(Response response);

  default void done(Object value) {
    reply(Response.done(value));
  }

  default void notDone(String error, String leader) {
    reply(Response.notDone(error, leader));
  }

  default void unknown(String error) {
    reply(Response.unknown(error));
  }
}
