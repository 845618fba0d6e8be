package io.faultline.targets.real;

import io.faultline.targets.node.Message;
import io.faultline.targets.node.MessageCodec;
import io.faultline.targets.node.Node;
import io.faultline.targets.node.NodeFactory;
import io.faultline.targets.real.NodeOptions.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The main class of {@code faultline-node.jar}: runs one node of a bundled target as a process (see
 * {@link NodeOptions#USAGE} for the command line, and the module's README for the client protocol).
 *
 * <p>Exit codes: 0 after SIGTERM (sockets closed, storage released), 1 when the node crashed
 * (it threw, or its storage failed), 2 for a command line it cannot run with (one line on stderr
 * naming the problem and the fix).
 */
public final class NodeMain {
  static final int EXIT_STOPPED = 0;
  static final int EXIT_CRASHED = 1;
  static final int EXIT_USAGE = 2;
  private static final long SHUTDOWN_GRACE_MILLIS = 5000;

  private NodeMain() {}

  public static void main(String[] args) {
    PrintStream err = System.err;
    NodeOptions options;
    NodeFactory factory;
    Node node;
    try {
      options = NodeOptions.parse(args);
      if (options.help()) {
        System.out.println(NodeOptions.USAGE);
        return;
      }
      factory = loadFactory(options);
      node = newNode(factory, options);
    } catch (UsageException e) {
      err.println("faultline-node: " + e.getMessage());
      System.exit(EXIT_USAGE);
      return;
    }
    run(options, factory, node, err);
  }

  private static void run(NodeOptions options, NodeFactory factory, Node node, PrintStream err) {
    String id = options.id();
    NodeLog log = new NodeLog(id, err);
    FileStorage storage;
    try {
      storage = FileStorage.open(options.data());
    } catch (IOException | RuntimeException e) {
      usageExit(err, "cannot use data directory " + options.data() + " (" + describe(e)
          + "); pass --data a writable directory that no other node uses");
      return;
    }

    EventLoop loop = new EventLoop(t -> crash(log, "node crashed", t));
    MessageCodec codec = factory.codec();
    InetSocketAddress listen = options.members().get(id);
    InetSocketAddress clients = new InetSocketAddress(options.clientPort());
    if (options.bindAddress() != null) {
      // The others still dial the --members address; only where this node listens changes.
      listen = new InetSocketAddress(options.bindAddress(), listen.getPort());
      clients = new InetSocketAddress(options.bindAddress(), options.clientPort());
      if (listen.isUnresolved()) {
        usageExit(err, "cannot resolve --bind-address " + options.bindAddress()
            + "; give an address of this host, such as 127.0.0.1 or 0.0.0.0");
        return;
      }
    }
    TcpTransport transport = new TcpTransport(id, listen, options.members(), log,
        (from, bytes) -> loop.submit(() -> deliver(log, codec, node, from, bytes)));
    HttpFrontend http = new HttpFrontend(id, clients,
        options.requestTimeout(),
        (request, responder) -> loop.submit(() -> node.onClientRequest(request, responder)));
    try {
      transport.bind();
    } catch (IOException e) {
      usageExit(err, "cannot listen for nodes on " + listen.getHostString() + ":" + listen.getPort()
          + " (" + e.getMessage() + "); free that port or give " + id + " another address in --members");
      return;
    }
    try {
      http.bind();
    } catch (IOException e) {
      usageExit(err, "cannot listen for clients on port " + options.clientPort() + " at " + clients.getHostString()
          + " (" + e.getMessage() + "); pick a free --client-port");
      return;
    }

    long seed = options.seed() != null ? options.seed() : new SecureRandom().nextLong();
    RealContext context = new RealContext(id, new ArrayList<>(options.members().keySet()), seed,
        storage, codec, transport, loop, log, node);
    FileStorage.Recovery recovery = storage.recovery();
    log.runtime("target " + factory.name() + ", bugs " + options.bugs() + ", settings " + options.settings()
        + ", seed " + seed);
    log.runtime("data " + options.data() + ": " + (recovery.createdLog() ? "new log" : recovery.records()
        + " records recovered") + (recovery.truncatedBytes() > 0
        ? ", " + recovery.truncatedBytes() + " bytes of torn or corrupt tail truncated" : ""));

    CountDownLatch loopDone = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.runtime("stopping");
      loop.stop();
      http.close();
      transport.close();
      try {
        loopDone.await(SHUTDOWN_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        storage.close();
      } catch (IOException | InterruptedException e) {
        log.runtime("closing storage: " + e);
      }
      // A JVM ended by SIGTERM exits 143 by default; a node asked to stop has stopped cleanly.
      Runtime.getRuntime().halt(EXIT_STOPPED);
    }, id + "-shutdown"));
    if (options.exitOnStdinEof()) watchStdin(log, id);

    loop.submit(() -> node.start(context));
    transport.start();
    http.start();
    log.runtime("listening for nodes on " + listen.getHostString() + ":" + transport.boundPort()
        + ", for clients on port " + http.boundPort() + " at " + clients.getHostString());
    Thread.currentThread().setName(id + "-event-loop");
    loop.run();
    loopDone.countDown();
  }

  /**
   * Stops the node, as SIGTERM would, once standard input ends. The controller holds the pipe's
   * write end and never writes; when the controller dies, even by SIGKILL, the kernel closes it,
   * and this is what takes an orphaned node down with it.
   */
  private static void watchStdin(NodeLog log, String id) {
    Thread watcher = new Thread(() -> {
      String why = "standard input ended";
      try {
        while (System.in.read() >= 0) {
          // Whatever is written is ignored; only the end matters.
        }
      } catch (IOException e) {
        why = "standard input failed (" + e.getMessage() + ")";
      }
      log.runtime(why + " and " + NodeOptions.EXIT_ON_STDIN_EOF + " is set: the controller is gone");
      System.exit(EXIT_STOPPED);
    }, id + "-stdin-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** The file system's exceptions often say only the path; say what went wrong with it. */
  static String describe(Exception e) {
    String what;
    if (e instanceof FileAlreadyExistsException) {
      what = "exists and is not a directory";
    } else if (e instanceof NoSuchFileException) {
      what = "no such file or directory";
    } else if (e instanceof AccessDeniedException) {
      what = "permission denied";
    } else if (e instanceof FileSystemException fs && fs.getReason() != null) {
      what = fs.getReason();
    } else {
      return String.valueOf(e.getMessage());
    }
    return e instanceof FileSystemException fs && fs.getFile() != null ? fs.getFile() + ": " + what : what;
  }

  private static void deliver(NodeLog log, MessageCodec codec, Node node, String from, byte[] bytes) {
    Message message;
    try {
      message = codec.decode(bytes);
    } catch (RuntimeException e) {
      // A peer speaking another version, or a codec bug: the message is lost, the node goes on.
      log.runtime("dropped a message from " + from + " that the codec cannot decode: " + e.getMessage());
      return;
    }
    node.onMessage(from, message);
  }

  /** A crash, as kill -9 would be: no shutdown hook, nothing flushed, exit code 1. */
  private static void crash(NodeLog log, String what, Throwable t) {
    log.runtime(what + ": " + t);
    for (StackTraceElement frame : t.getStackTrace()) log.runtime("    at " + frame);
    for (Throwable cause = t.getCause(); cause != null; cause = cause.getCause()) {
      log.runtime("  caused by: " + cause);
    }
    Runtime.getRuntime().halt(EXIT_CRASHED);
  }

  private static void usageExit(PrintStream err, String message) {
    err.println("faultline-node: " + message);
    Runtime.getRuntime().halt(EXIT_USAGE);
  }

  static NodeFactory loadFactory(NodeOptions options) throws UsageException {
    if (options.targetClass() != null) return instantiate(options.targetClass());
    List<String> known = new ArrayList<>();
    try {
      for (NodeFactory p : ServiceLoader.load(NodeFactory.class)) {
        if (p.name().equals(options.target())) return p;
        known.add(p.name());
      }
    } catch (ServiceConfigurationError e) {
      throw new UsageException("a registered target cannot be loaded (" + e.getMessage()
          + "); rebuild faultline-node.jar");
    }
    throw new UsageException("unknown target '" + options.target() + "' (known: "
        + (known.isEmpty() ? "none" : String.join(", ", known)) + "); pass one of them to --target");
  }

  private static NodeFactory instantiate(String className) throws UsageException {
    Class<?> type;
    try {
      type = Class.forName(className);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new UsageException("no class " + className + " on the class path; check --target-class");
    }
    if (!NodeFactory.class.isAssignableFrom(type)) {
      throw new UsageException(className + " is not a " + NodeFactory.class.getName() + "; check --target-class");
    }
    try {
      return (NodeFactory) type.getConstructor().newInstance();
    } catch (NoSuchMethodException | IllegalAccessException | InstantiationException e) {
      throw new UsageException(className + " has no public no-arg constructor; give it one");
    } catch (InvocationTargetException e) {
      throw new UsageException(className + " failed to construct (" + e.getCause() + "); fix the class");
    }
  }

  private static Node newNode(NodeFactory factory, NodeOptions options) throws UsageException {
    List<String> known = factory.bugs();
    for (String bug : options.bugs()) {
      if (!known.contains(bug)) {
        throw new UsageException("unknown bug '" + bug + "' for target " + factory.name() + " (known: "
            + (known.isEmpty() ? "none" : String.join(", ", known)) + "); pass one of them to --bug");
      }
    }
    try {
      return factory.newNode(options.bugs(), options.settings());
    } catch (IllegalArgumentException e) {
      throw new UsageException("target " + factory.name() + " rejects its options: " + e.getMessage()
          + "; fix --bug or --set");
    }
  }
}
