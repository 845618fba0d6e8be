package io.faultline.harness.run;

import io.faultline.harness.runtime.local.LocalCluster;
import io.faultline.nemesis.Fabric;
import io.faultline.nemesis.FaultException;
import io.faultline.nemesis.FaultKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The bundled nodes as local processes ({@link LocalCluster}), with libfaketime only when clocks are faulted. */
final class LocalDeployment implements Deployment {
  private final LocalCluster cluster;

  LocalDeployment(TestSpec spec, Path workDir, Runner.ControllerLogSink log) {
    List<String> args = new ArrayList<>();
    for (String bug : spec.bugs()) args.addAll(List.of("--bug", bug));
    new TreeMap<>(spec.settings()).forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
    LocalCluster.Options options = LocalCluster.Options.of(spec.target(), spec.nodes(), workDir)
        .withNodeArguments(args)
        .withFaketime(spec.nemesis().contains(FaultKind.CLOCK))
        .withSeed(spec.seed());
    try {
      this.cluster = new LocalCluster(options);
    } catch (FaultException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    log.info("local cluster in " + workDir + ": " + cluster.clientAddresses());
  }

  @Override
  public List<String> nodes() {
    return cluster.ids();
  }

  @Override
  public Map<String, String> clientAddresses() {
    return cluster.clientAddresses();
  }

  @Override
  public void start() throws NodeStartException {
    try {
      cluster.startAll();
    } catch (FaultException e) {
      throw new NodeStartException(e.getMessage(), e);
    }
  }

  @Override
  public Fabric fabric() {
    return cluster.fabric();
  }

  @Override
  public Optional<String> leader() {
    return cluster.leader();
  }

  @Override
  public Optional<String> awaitLeader(Duration timeout) {
    try {
      return Optional.of(cluster.awaitLeader(timeout));
    } catch (FaultException e) {
      return Optional.empty();
    }
  }

  @Override
  public Map<String, Path> logFiles() {
    return cluster.logFiles();
  }

  @Override
  public Map<String, Path> dataDirs() {
    Map<String, Path> out = new LinkedHashMap<>();
    for (String id : cluster.ids()) out.put(id, cluster.dataDir(id));
    return out;
  }

  @Override
  public void close() {
    cluster.close();
  }
}
