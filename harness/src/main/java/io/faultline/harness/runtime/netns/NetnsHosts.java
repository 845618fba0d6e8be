package io.faultline.harness.runtime.netns;

import io.faultline.harness.runtime.Shell;
import io.faultline.harness.runtime.local.Hosts;
import io.faultline.nemesis.FaultException;
import io.faultline.nemesis.FaultKind;
import io.faultline.nemesis.PacketFault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Linux network namespace per node, each with a veth into a bridge that lives in a switch
 * namespace of its own (so nothing the root namespace's firewall does touches node-to-node
 * traffic), and the controller on an uplink veth into the same bridge. Partitions are iptables DROP
 * rules on the receiving node's INPUT, in a chain of Faultline's own ({@value #PARTITION_CHAIN});
 * loss is the statistic match on the sending node's OUTPUT ({@value #LOSS_CHAIN}). This kernel has
 * no netem, so latency is not offered; a duplicated packet is dropped by TCP itself, as on loopback.
 *
 * <p>Every name carries the controller's pid and a serial, so two runs never share one, and the
 * names are written to {@value #RECORD} in the run's working folder first, so that {@link #reap}
 * can remove what a killed controller left.
 */
public final class NetnsHosts implements Hosts {
  static final String RECORD = "netns-made";
  static final String PARTITION_CHAIN = "FAULTLINE-PARTITION";
  static final String LOSS_CHAIN = "FAULTLINE-LOSS";
  private static final AtomicInteger SERIAL = new AtomicInteger();
  private static final Set<FaultKind> LINK_FAULTS = EnumSet.of(FaultKind.PARTITION, FaultKind.LOSS);

  private final List<String> nodes;
  private final String prefix;
  private final String subnet;
  private final String switchNamespace;
  private final String uplink;
  private final Map<String, String> namespaces = new LinkedHashMap<>();
  private final Map<String, String> addresses = new LinkedHashMap<>();
  /** from, then to: the loss in force on that link. */
  private final Map<String, Map<String, Double>> loss = new LinkedHashMap<>();
  private final Path record;
  private boolean closed;

  private NetnsHosts(List<String> nodes, Path workDir) {
    this.nodes = List.copyOf(nodes);
    int serial = SERIAL.incrementAndGet();
    // veth names have at most 15 characters: "fl" + pid + serial letter + node id + "s".
    prefix = "fl" + ProcessHandle.current().pid() + (char) ('a' + serial % 26);
    subnet = freeSubnet(serial);
    switchNamespace = prefix + "-sw";
    uplink = prefix + "up";
    record = workDir.resolve(RECORD);
    for (int i = 0; i < nodes.size(); i++) {
      String node = nodes.get(i);
      namespaces.put(node, prefix + "-" + node);
      addresses.put(node, subnet + "." + (i + 1));
      loss.put(node, new LinkedHashMap<>());
    }
  }

  /**
   * Makes the namespaces, the switch and the uplink, and the empty fault chains in every node.
   *
   * @throws FaultException naming the step that failed, after removing whatever was made
   */
  public static NetnsHosts create(List<String> nodes, Path workDir) {
    if (nodes.size() > 250) throw new IllegalArgumentException("runtime netns puts at most 250 nodes on one bridge, not " + nodes.size());
    NetnsHosts hosts = new NetnsHosts(nodes, workDir);
    try {
      hosts.build();
      return hosts;
    } catch (RuntimeException e) {
      hosts.close();
      throw e;
    }
  }

  private void build() {
    List<String> made = new ArrayList<>(namespaces.values());
    made.add(switchNamespace);
    try {
      Files.createDirectories(record.getParent());
      Files.write(record, made);
    } catch (IOException e) {
      throw new FaultException("cannot write " + record + " (" + e.getMessage() + "); give the run a writable working folder", e);
    }
    ip("netns", "add", switchNamespace);
    ip("-n", switchNamespace, "link", "set", "lo", "up");
    ip("-n", switchNamespace, "link", "add", "br0", "type", "bridge");
    ip("-n", switchNamespace, "link", "set", "br0", "up");
    for (String node : nodes) {
      String ns = namespaces.get(node);
      String veth = prefix + node;
      ip("netns", "add", ns);
      ip("-n", ns, "link", "set", "lo", "up");
      ip("link", "add", veth, "netns", ns, "type", "veth", "peer", "name", veth + "s", "netns", switchNamespace);
      ip("-n", switchNamespace, "link", "set", veth + "s", "master", "br0", "up");
      ip("-n", ns, "addr", "add", addresses.get(node) + "/24", "dev", veth);
      ip("-n", ns, "link", "set", veth, "up");
      iptables(node, "-N", PARTITION_CHAIN);
      iptables(node, "-I", "INPUT", "1", "-j", PARTITION_CHAIN);
      iptables(node, "-N", LOSS_CHAIN);
      iptables(node, "-I", "OUTPUT", "1", "-j", LOSS_CHAIN);
    }
    ip("link", "add", uplink, "type", "veth", "peer", "name", uplink + "s", "netns", switchNamespace);
    ip("-n", switchNamespace, "link", "set", uplink + "s", "master", "br0", "up");
    ip("addr", "add", subnet + ".254/24", "dev", uplink);
    ip("link", "set", uplink, "up");
  }

  @Override
  public String address(String node) {
    return require(node);
  }

  @Override
  public List<String> enter(String node) {
    require(node);
    return List.of("ip", "netns", "exec", namespaces.get(node));
  }

  @Override
  public Set<FaultKind> linkFaults() {
    return LINK_FAULTS;
  }

  @Override
  public synchronized void partition(Map<String, Set<String>> grudge) {
    for (String node : nodes) {
      iptables(node, "-F", PARTITION_CHAIN);
      for (String unheard : grudge.getOrDefault(node, Set.of())) {
        iptables(node, "-A", PARTITION_CHAIN, "-s", require(unheard), "-j", "DROP");
      }
    }
  }

  @Override
  public synchronized void heal() {
    if (closed) return;
    for (String node : nodes) iptables(node, "-F", PARTITION_CHAIN);
  }

  @Override
  public synchronized void packets(String from, String to, PacketFault fault) {
    require(from);
    require(to);
    if (!fault.delay().isZero() || !fault.jitter().isZero()) {
      throw new UnsupportedOperationException("runtime netns cannot delay packets: this kernel has no netem; leave"
          + " latency out of --nemesis, or use --runtime local or sim for it");
    }
    if (closed) return;
    Map<String, Double> out = loss.get(from);
    Double before = out.get(to);
    if (fault.loss() == 0 ? before == null : Double.valueOf(fault.loss()).equals(before)) return;
    if (fault.loss() == 0) out.remove(to);
    else out.put(to, fault.loss());
    iptables(from, "-F", LOSS_CHAIN);
    out.forEach((dest, p) -> iptables(from, "-A", LOSS_CHAIN, "-d", require(dest), "-m", "statistic", "--mode",
        "random", "--probability", String.format(java.util.Locale.ROOT, "%.4f", p), "-j", "DROP"));
  }

  /** Deletes every namespace (and with them the veths and rules in them), then waits for the kernel. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    remove(namespaces.values(), switchNamespace, uplink);
    try {
      Files.deleteIfExists(record);
    } catch (IOException e) {
      throw new FaultException("cannot delete " + record + " (" + e.getMessage() + ")", e);
    }
  }

  /** Removes what a run's record names that is still there: for a controller that died mid-run. */
  static int reap(Path workDir) {
    Path record = workDir.resolve(RECORD);
    if (!Files.isRegularFile(record)) return 0;
    try {
      List<String> names = Files.readAllLines(record);
      int before = existing(names);
      remove(names, null, null);
      Files.deleteIfExists(record);
      return before;
    } catch (IOException e) {
      return 0;
    }
  }

  private static void remove(Iterable<String> nodeNamespaces, String switchNamespace, String uplink) {
    List<String> all = new ArrayList<>();
    nodeNamespaces.forEach(all::add);
    if (switchNamespace != null) all.add(switchNamespace);
    for (String ns : all) {
      if (Files.exists(Path.of("/run/netns", ns))) Shell.tryRun(List.of("ip", "netns", "delete", ns));
    }
    // A namespace goes once its last process has; its veths go with it, the uplink's root end included.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      boolean gone = existing(all) == 0 && (uplink == null || !Files.exists(Path.of("/sys/class/net", uplink)));
      if (gone) return;
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (uplink != null && Files.exists(Path.of("/sys/class/net", uplink))) Shell.tryRun(List.of("ip", "link", "delete", uplink));
  }

  private static int existing(List<String> namespaces) {
    int n = 0;
    for (String ns : namespaces) if (Files.exists(Path.of("/run/netns", ns))) n++;
    return n;
  }

  /** A /24 in 10.200.0.0/13 that no interface of this host is on; the serial spreads concurrent runs. */
  private static String freeSubnet(int serial) {
    String taken;
    try {
      taken = Shell.run(List.of("ip", "-4", "-o", "addr", "show"));
    } catch (FaultException e) {
      taken = "";
    }
    long start = (ProcessHandle.current().pid() * 31L + serial) & 0x7ff;
    for (int i = 0; i < 0x800; i++) {
      long k = (start + i) & 0x7ff;
      String candidate = "10." + (200 + (k >> 8)) + "." + (k & 0xff);
      if (!taken.contains(" " + candidate + ".")) return candidate;
    }
    throw new FaultException("no free /24 in 10.200.0.0/13 for the nodes' network; remove some interfaces' addresses");
  }

  /** For tests in this package: where a node's process runs, and the controller's end of the uplink. */
  String namespace(String node) {
    require(node);
    return namespaces.get(node);
  }

  String uplink() {
    return uplink;
  }

  String switchNamespace() {
    return switchNamespace;
  }

  private String require(String node) {
    String address = addresses.get(node);
    if (address == null) throw new IllegalArgumentException("no node '" + node + "' in this cluster; its nodes are " + nodes);
    return address;
  }

  private static void ip(String... args) {
    List<String> command = new ArrayList<>();
    command.add("ip");
    command.addAll(List.of(args));
    Shell.run(command);
  }

  private void iptables(String node, String... args) {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespaces.get(node), "iptables", "-w"));
    command.addAll(List.of(args));
    Shell.run(command);
  }
}
