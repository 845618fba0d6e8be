package io.faultline.harness.target;

import io.faultline.nemesis.FaultKind;
import io.faultline.targets.node.NodeFactory;
import io.faultline.workloads.client.Client;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A target with no node code and a narrow set of faults, registered for the tests only: what an
 * external system looks like to the seams, so that the refusals it must get (no simulator, no
 * clock faults) are tested before etcd and ZooKeeper arrive. It is never started.
 */
public final class ExternalFixtureTarget implements Target {
  @Override
  public String name() {
    return "external-fixture";
  }

  @Override
  public List<String> bugs() {
    return List.of();
  }

  @Override
  public Set<FaultKind> faults() {
    return EnumSet.of(FaultKind.PARTITION, FaultKind.KILL);
  }

  @Override
  public List<String> workloads() {
    return List.of("register");
  }

  @Override
  public void validate(Setup setup) {
    if (!setup.bugs().isEmpty()) throw new IllegalArgumentException("external-fixture has no planted bugs");
  }

  @Override
  public boolean hasLeader() {
    return false;
  }

  @Override
  public Optional<NodeFactory> nodeCode() {
    return Optional.empty();
  }

  @Override
  public NodeLaunch launch(String node, Layout layout, Setup setup) {
    throw new UnsupportedOperationException("the fixture is never started");
  }

  @Override
  public Client client(Layout layout, Setup setup) {
    throw new UnsupportedOperationException("the fixture is never started");
  }

  @Override
  public Optional<String> leader(Layout layout) {
    return Optional.empty();
  }

  @Override
  public boolean answers(String node, Layout layout) {
    return false;
  }
}
