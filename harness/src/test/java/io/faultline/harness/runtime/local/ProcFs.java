package io.faultline.harness.runtime.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the kernel says about a process and its sockets, read from {@code /proc} as {@code ss} and
 * {@code ps} would, so that a test asserts what is left on the machine rather than what the
 * runtime believes it left.
 */
final class ProcFs {
  private static final String LISTEN = "0A";

  private ProcFs() {}

  /** Whether the process runs or is stopped: it exists and is not a zombie waiting to be reaped. */
  static boolean alive(long pid) {
    Character state = NodeProcess.procState(pid);
    return state != null && state != 'Z' && state != 'X';
  }

  /** Its command line, the arguments joined by spaces; empty when it is gone. */
  static String commandLine(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ').strip();
    } catch (IOException e) {
      return "";
    }
  }

  /** The process's listening TCP sockets: port to the local address it listens on. */
  static Map<Integer, InetAddress> listening(long pid) throws IOException {
    Set<Long> inodes = socketInodes(pid);
    Map<Integer, InetAddress> ports = new LinkedHashMap<>();
    for (String[] socket : listeningSockets()) {
      if (inodes.contains(Long.parseLong(socket[2]))) ports.put(Integer.parseInt(socket[1], 16), address(socket[0]));
    }
    return ports;
  }

  /**
   * Which processes listen on each of these ports now: port to the pids holding a listening socket
   * on it. A port missing from the answer is free. Owners are what matter, not the port alone: once
   * a process is gone the kernel may hand its ephemeral port to anything else on the machine.
   */
  static Map<Integer, Set<Long>> listenersOn(Set<Integer> ports) throws IOException {
    Map<Long, Integer> portOfInode = new LinkedHashMap<>();
    for (String[] socket : listeningSockets()) {
      int port = Integer.parseInt(socket[1], 16);
      if (ports.contains(port)) portOfInode.put(Long.parseLong(socket[2]), port);
    }
    Map<Integer, Set<Long>> holders = new TreeMap<>();
    if (portOfInode.isEmpty()) return holders;
    try (var processes = Files.list(Path.of("/proc"))) {
      for (Path process : (Iterable<Path>) processes::iterator) {
        String name = process.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) continue;
        long pid = Long.parseLong(name);
        for (long inode : socketInodes(pid)) {
          Integer port = portOfInode.get(inode);
          if (port != null) holders.computeIfAbsent(port, p -> new TreeSet<>()).add(pid);
        }
      }
    }
    return holders;
  }

  /** The inodes of the sockets among the process's open files; empty when it is gone. */
  private static Set<Long> socketInodes(long pid) {
    Set<Long> inodes = new TreeSet<>();
    try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String link = Files.readSymbolicLink(fd).toString();
          if (link.startsWith("socket:[")) inodes.add(Long.parseLong(link.substring(8, link.length() - 1)));
        } catch (IOException e) {
          // closed while listed
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // the process ended while listed
    }
    return inodes;
  }

  /** Each listening socket of /proc/net/tcp and tcp6 as {hex address, hex port, inode}. */
  private static List<String[]> listeningSockets() throws IOException {
    List<String[]> sockets = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.exists(file)) continue;
      List<String> lines = Files.readAllLines(file);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (!f[3].equals(LISTEN)) continue;
        int colon = f[1].indexOf(':');
        sockets.add(new String[] {f[1].substring(0, colon), f[1].substring(colon + 1), f[9]});
      }
    }
    return sockets;
  }

  /**
   * The kernel prints each 32-bit word of an address in the host's order (little-endian here);
   * an IPv4-mapped IPv6 address comes back as the IPv4 address it maps.
   */
  private static InetAddress address(String hex) throws UnknownHostException {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = 2 * (4 * word + 3 - i);
        bytes[4 * word + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    return InetAddress.getByAddress(bytes);
  }
}
