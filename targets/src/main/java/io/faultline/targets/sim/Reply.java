package io.faultline.targets.sim;

import io.faultline.targets.clientprotocol.Response;
import io.faultline.targets.clientprotocol.Status;

/**
 * What a client of a {@link ScriptedCluster} sees of one request: which node took it and when, and
 * the answer and when it came, once it has. Times are the cluster's virtual nanoseconds.
 */
public final class Reply {
  private final String node;
  private final long invokedAt;
  private final boolean refused;
  private Response response;
  private long answeredAt = -1;

  Reply(String node, long invokedAt, boolean refused) {
    this.node = node;
    this.invokedAt = invokedAt;
    this.refused = refused;
  }

  void answer(Response r, long at) {
    response = r;
    answeredAt = at;
  }

  /** The node the request went to. */
  public String node() {
    return node;
  }

  public long invokedAt() {
    return invokedAt;
  }

  /** The node was down, so it never saw the request (a refused connection): it is never answered. */
  public boolean refused() {
    return refused;
  }

  public boolean answered() {
    return response != null;
  }

  /** When the answer came; -1 while there is none. */
  public long answeredAt() {
    return answeredAt;
  }

  /** The answer, or null while there is none. */
  public Response response() {
    return response;
  }

  /** The answer's status, or null while there is none. */
  public Status status() {
    return response == null ? null : response.status();
  }

  public boolean done() {
    return response != null && response.status() == Status.DONE;
  }

  /** @throws NullPointerException while there is no answer */
  public Object value() {
    return response.value();
  }

  /** @throws NullPointerException while there is no answer */
  public String error() {
    return response.error();
  }

  /** @throws NullPointerException while there is no answer */
  public String leaderHint() {
    return response.leader();
  }

  @Override
  public String toString() {
    return response != null ? response.toString() : refused ? "(refused: " + node + " was down)" : "(no answer)";
  }
}
