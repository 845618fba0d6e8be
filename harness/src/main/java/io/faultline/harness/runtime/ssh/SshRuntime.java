package io.faultline.harness.runtime.ssh;

import io.faultline.harness.run.TestSpec;
import io.faultline.harness.runtime.Cluster;
import io.faultline.harness.runtime.Runtime;
import io.faultline.harness.target.Target;
import io.faultline.nemesis.FaultException;
import io.faultline.nemesis.FaultKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code --runtime ssh}: one node on each host of {@code --hosts}, reached over SSH (sshj) with the
 * key, port and known_hosts of {@code --ssh}; see {@link SshCluster}. The hosts need sshd, a JRE,
 * iptables, and for clock faults libfaketime; the user must be allowed to run iptables (root).
 */
public final class SshRuntime implements Runtime {
  @Override
  public String name() {
    return "ssh";
  }

  @Override
  public boolean deterministic() {
    return false;
  }

  @Override
  public void check(Target target, TestSpec spec) {
    if (spec.hosts().isEmpty()) {
      throw new IllegalArgumentException("runtime ssh needs the hosts to run on: --hosts root@10.0.0.1,root@10.0.0.2,..."
          + " (one per node), or hosts: [...] in the spec");
    }
    List<HostAddress> hosts = addresses(spec);
    if (hosts.size() != spec.nodes()) {
      throw new IllegalArgumentException("runtime ssh puts one node on each host: --nodes " + spec.nodes() + " needs "
          + spec.nodes() + " hosts, and --hosts names " + hosts.size() + "; name as many hosts as nodes");
    }
    Set<String> seen = new HashSet<>();
    for (HostAddress h : hosts) {
      if (!seen.add(h.host())) {
        throw new IllegalArgumentException("--hosts names " + h.host() + " twice; each node needs a host of its own,"
            + " since partitions cut hosts apart");
      }
    }
    if (spec.nemesis().contains(FaultKind.LATENCY)) {
      throw new IllegalArgumentException("runtime ssh cannot add latency; leave latency out of --nemesis, or use"
          + " --runtime local or sim for it");
    }
  }

  @Override
  public Cluster deploy(Target target, TestSpec spec, Path workDir, Path nodesDir, Consumer<String> log) {
    check(target, spec);
    try {
      SshCluster cluster = new SshCluster(target, spec.setup(), addresses(spec), SshLogin.of(spec.ssh()),
          spec.nemesis().contains(FaultKind.CLOCK), workDir, log);
      log.accept("ssh cluster on " + spec.hosts());
      return cluster;
    } catch (FaultException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static List<HostAddress> addresses(TestSpec spec) {
    int port = SshLogin.portOf(spec.ssh());
    List<HostAddress> out = new ArrayList<>();
    for (String entry : spec.hosts()) out.add(HostAddress.parse(entry, port));
    return out;
  }
}
