package io.faultline.targets.raft;

import io.faultline.targets.clientprotocol.Responder;
import io.faultline.targets.clientprotocol.Response;
import io.faultline.targets.clientprotocol.Status;

/** Catches a node's answer to one client request, and fails the test if it answers twice. */
final class Reply implements Responder {
  final String node;
  final long invokedAt;
  private Response response;
  private long answeredAt = -1;
  private final TestCluster cluster;

  Reply(TestCluster cluster, String node) {
    this.cluster = cluster;
    this.node = node;
    this.invokedAt = cluster.now();
  }

  @Override
  public void reply(Response r) {
    if (response != null) {
      throw new AssertionError("answered twice: " + response + " then " + r);
    }
    response = r;
    answeredAt = cluster.now();
  }

  boolean answered() {
    return response != null;
  }

  long answeredAt() {
    return answeredAt;
  }

  Status status() {
    return response == null ? null : response.status();
  }

  boolean done() {
    return response != null && response.status() == Status.DONE;
  }

  Object value() {
    return response.value();
  }

  String error() {
    return response.error();
  }

  String leaderHint() {
    return response.leader();
  }

  @Override
  public String toString() {
    return response == null ? "(no answer)" : response.toString();
  }
}
