package io.faultline.targets.real;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's command line, parsed by hand: a dozen options, two of them repeatable, and every
 * error must be one line with exit code 2, which is simpler to guarantee here than by bending a
 * general parser's usage output and exit codes; it also keeps the node jar free of a CLI library.
 *
 * @param members every member's id and listen address, in the order given (the members' order)
 * @param bindAddress the host both ports listen on, or null: the client port on every interface and
 *     the node port on this node's own {@code --members} host
 * @param exitOnStdinEof stop (as on SIGTERM) when standard input reaches end of file
 */
record NodeOptions(
    String target,
    String targetClass,
    String id,
    Map<String, InetSocketAddress> members,
    int clientPort,
    String bindAddress,
    Path data,
    Set<String> bugs,
    Map<String, String> settings,
    Duration requestTimeout,
    Long seed,
    boolean exitOnStdinEof,
    boolean help) {

  static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

  static final String USAGE = String.join("\n",
      "usage: java -jar faultline-node.jar --target NAME --id ID --members ID=HOST:PORT,... \\",
      "         --client-port PORT --data DIR [--bind-address HOST] [--bug NAME]... \\",
      "         [--set KEY=VALUE]... [--request-timeout 5s] [--seed N] [--exit-on-stdin-eof]",
      "  --target NAME            the kind of node (as registered, e.g. raft)",
      "  --target-class CLASS     instead of --target: a NodeFactory class with a public no-arg constructor",
      "  --id ID                  this node's id; must be one of --members",
      "  --members LIST           every member, this one included, as id=host:port (node-to-node TCP)",
      "  --client-port PORT       HTTP port for clients (0 picks a free one)",
      "  --bind-address HOST      where both ports listen, e.g. 127.0.0.1 for this host only (default: the",
      "                           client port on every interface, the node port on this node's --members host)",
      "  --data DIR               data directory (the write-ahead log lives here)",
      "  --bug NAME               plant a known bug (repeatable)",
      "  --set KEY=VALUE          a target setting (repeatable)",
      "  --request-timeout D      answer unknown after D without the node's answer (e.g. 500ms, 5s, 1m)",
      "  --seed N                 seed of the node's random source (default: drawn and logged)",
      "  --exit-on-stdin-eof      stop, as on SIGTERM, when standard input reaches end of file; a controller",
      "                           that holds the write end of a pipe to it takes the node down with it,",
      "                           even when the controller is killed and runs no clean-up");

  /** A command line the node cannot run with; the message is one line: the problem, then the fix. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  /** The one option without a value. */
  static final String EXIT_ON_STDIN_EOF = "--exit-on-stdin-eof";

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]+");

  static NodeOptions parse(String[] args) throws UsageException {
    String target = null;
    String targetClass = null;
    String id = null;
    String members = null;
    Integer clientPort = null;
    String bindAddress = null;
    Path data = null;
    Set<String> bugs = new LinkedHashSet<>();
    Map<String, String> settings = new LinkedHashMap<>();
    Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    Long seed = null;
    boolean exitOnStdinEof = false;
    List<String> seen = new ArrayList<>();

    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        return new NodeOptions(null, null, null, Map.of(), 0, null, null, Set.of(), Map.of(), requestTimeout, null,
            false, true);
      }
      if (arg.equals(EXIT_ON_STDIN_EOF) || arg.startsWith(EXIT_ON_STDIN_EOF + "=")) {
        if (!arg.equals(EXIT_ON_STDIN_EOF)) {
          throw new UsageException(EXIT_ON_STDIN_EOF + " takes no value; write it alone");
        }
        if (exitOnStdinEof) throw new UsageException(EXIT_ON_STDIN_EOF + " given twice; give it once");
        exitOnStdinEof = true;
        continue;
      }
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument '" + arg + "'; options start with --, see --help");
      }
      String name = arg;
      String value;
      int equals = arg.indexOf('=');
      if (equals > 0) {
        name = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      } else {
        if (i + 1 >= args.length) throw new UsageException(name + " needs a value; see --help");
        value = args[++i];
      }
      boolean repeatable = name.equals("--bug") || name.equals("--set");
      if (!repeatable && seen.contains(name)) {
        throw new UsageException(name + " given twice; give it once");
      }
      seen.add(name);
      switch (name) {
        case "--target" -> target = nonEmpty(name, value);
        case "--target-class" -> targetClass = nonEmpty(name, value);
        case "--id" -> id = nodeId(name, value);
        case "--members" -> members = nonEmpty(name, value);
        case "--client-port" -> clientPort = port(name, value);
        case "--bind-address" -> bindAddress = nonEmpty(name, value);
        case "--data" -> data = Path.of(nonEmpty(name, value));
        case "--bug" -> bugs.add(nonEmpty(name, value));
        case "--set" -> {
          int eq = value.indexOf('=');
          if (eq <= 0) throw new UsageException("--set '" + value + "' is not KEY=VALUE; write e.g. --set read=lease");
          String key = value.substring(0, eq);
          if (settings.containsKey(key)) throw new UsageException("--set " + key + " given twice; give it once");
          settings.put(key, value.substring(eq + 1));
        }
        case "--request-timeout" -> requestTimeout = duration(name, value);
        case "--seed" -> {
          try {
            seed = Long.parseLong(value);
          } catch (NumberFormatException e) {
            throw new UsageException("--seed '" + value + "' is not an integer; give a 64-bit integer");
          }
        }
        default -> throw new UsageException("unknown option " + name + "; see --help for the options");
      }
    }

    if (target == null && targetClass == null) {
      throw new UsageException("no target given; pass --target NAME (e.g. --target raft)");
    }
    if (target != null && targetClass != null) {
      throw new UsageException("both --target and --target-class given; pass one of them");
    }
    if (id == null) throw new UsageException("no node id given; pass --id, e.g. --id n1");
    if (members == null) throw new UsageException("no members given; pass --members n1=HOST:PORT,n2=HOST:PORT,...");
    if (clientPort == null) throw new UsageException("no client port given; pass --client-port PORT");
    if (data == null) throw new UsageException("no data directory given; pass --data DIR");
    Map<String, InetSocketAddress> memberAddresses = members(members);
    if (!memberAddresses.containsKey(id)) {
      throw new UsageException("node " + id + " is not in --members " + members + "; list every member, this one included");
    }
    return new NodeOptions(target, targetClass, id, memberAddresses, clientPort, bindAddress, data, bugs, settings,
        requestTimeout, seed, exitOnStdinEof, false);
  }

  private static String nonEmpty(String name, String value) throws UsageException {
    if (value.isBlank()) throw new UsageException(name + " is empty; give it a value");
    return value;
  }

  private static String nodeId(String name, String value) throws UsageException {
    if (!ID.matcher(value).matches()) {
      throw new UsageException(name + " '" + value + "' is not a node id; use letters, digits, '.', '_' or '-'");
    }
    return value;
  }

  private static int port(String name, String value) throws UsageException {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) return port;
    } catch (NumberFormatException e) {
      // Reported below, with the range.
    }
    throw new UsageException(name + " '" + value + "' is not a port; give a number from 0 to 65535");
  }

  static Duration duration(String name, String value) throws UsageException {
    Matcher m = DURATION.matcher(value);
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new UsageException(name + " '" + value + "' is not a positive duration; write e.g. 500ms, 5s or 1m");
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      default -> Duration.ofMinutes(amount);
    };
  }

  /** {@code n1=127.0.0.1:7001,n2=[::1]:7002}; addresses stay unresolved until used. */
  static Map<String, InetSocketAddress> members(String peers) throws UsageException {
    Map<String, InetSocketAddress> members = new LinkedHashMap<>();
    for (String entry : peers.split(",", -1)) {
      String fix = "write --members as id=host:port,id=host:port";
      int eq = entry.indexOf('=');
      if (eq <= 0) throw new UsageException("--members entry '" + entry + "' is not id=host:port; " + fix);
      String memberId = nodeId("--members id", entry.substring(0, eq));
      String address = entry.substring(eq + 1);
      int colon = address.lastIndexOf(':');
      if (colon <= 0) throw new UsageException("--members entry '" + entry + "' has no host:port; " + fix);
      String host = address.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
      int port = port("--members port of " + memberId, address.substring(colon + 1));
      if (port == 0) throw new UsageException("--members port of " + memberId + " is 0; give each member a real port");
      if (members.put(memberId, InetSocketAddress.createUnresolved(host, port)) != null) {
        throw new UsageException("--members names " + memberId + " twice; name each member once");
      }
    }
    return members;
  }
}
