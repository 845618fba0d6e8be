package io.faultline.harness.runtime.sim;

import io.faultline.harness.runtime.AsyncClient;
import io.faultline.harness.runtime.Cluster;
import io.faultline.harness.runtime.Loop;
import io.faultline.harness.target.BundledTarget;
import io.faultline.harness.target.Setup;
import io.faultline.nemesis.Fabric;
import io.faultline.results.store.Store;
import io.faultline.targets.clientprotocol.Response;
import io.faultline.targets.clientprotocol.Status;
import io.faultline.targets.node.NodeFactory;
import io.faultline.targets.sim.Scheduler;
import io.faultline.targets.sim.Seeds;
import io.faultline.targets.sim.VirtualCluster;
import io.faultline.workloads.client.CausalClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import io.faultline.targets.node.Observation;

/**
 * A bundled target's nodes in the simulator: one {@link VirtualCluster} on one {@link Scheduler},
 * the simulated {@link Network}, and every random choice drawn from the run's seed, so that the
 * same spec gives the same run, event for event.
 */
final class SimCluster implements Cluster {
  /** The clients' one causal context ({@link CausalClock}), shared by every worker of the run. */
  private final CausalClock causal = new CausalClock();
  private final Scheduler scheduler = new Scheduler();
  private final Network network;
  private final VirtualCluster cluster;
  private final VirtualLoop loop;
  private final SimFabric fabric;
  private final long timeoutNanos;

  SimCluster(NodeFactory factory, Setup setup, int nodes, boolean steadyNetwork) {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) ids.add("n" + i);
    this.network = new Network(Seeds.stream(setup.seed(), "network", 0), steadyNetwork);
    this.cluster = new VirtualCluster(scheduler, network, factory, Set.copyOf(setup.bugs()), setup.settings(), ids,
        setup.seed());
    this.loop = new VirtualLoop(scheduler, cluster::busiestSender);
    this.fabric = new SimFabric(cluster, network);
    this.timeoutNanos = setup.clientTimeout().toNanos();
  }

  @Override
  public List<String> nodes() {
    return cluster.ids();
  }

  @Override
  public Loop loop() {
    return loop;
  }

  /** Boots every node; a simulated node answers as soon as it runs. */
  @Override
  public void start() {
    for (String id : cluster.ids()) cluster.start(id);
  }

  @Override
  public Fabric fabric() {
    return fabric;
  }

  /** The nodes' own statuses, read at once off the network, as {@link BundledTarget#leader} reads them over HTTP. */
  @Override
  public Optional<String> leader() {
    Map<String, Object> statuses = new LinkedHashMap<>();
    for (String id : cluster.ids()) {
      Optional<Response> r = cluster.ask(id, BundledTarget.statusRequest());
      if (r.isPresent() && r.get().status() == Status.DONE) statuses.put(id, r.get().value());
    }
    return BundledTarget.leaderOf(statuses);
  }

  @Override
  public void observe(BiConsumer<String, Observation> listener) {
    cluster.onObservation(listener);
  }

  @Override
  public AsyncClient client(int worker) {
    return new SimClient(scheduler, cluster, network, timeoutNanos, causal);
  }

  @Override
  public List<String> nodeErrors() {
    return List.copyOf(cluster.errors());
  }

  /** Each node's virtual log; a virtual disk has no files to keep. */
  @Override
  public void collect(Path nodesDir, boolean data) throws IOException {
    for (String id : cluster.ids()) {
      Path dir = Files.createDirectories(nodesDir.resolve(id));
      Files.writeString(dir.resolve(Store.NODE_LOG), cluster.host(id).log().text(), StandardCharsets.UTF_8);
    }
  }

  long events() {
    return loop.events();
  }

  @Override
  public void close() {}
}
