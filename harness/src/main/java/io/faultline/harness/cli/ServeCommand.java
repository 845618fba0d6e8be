package io.faultline.harness.cli;

import io.faultline.results.serve.StoreServer;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code faultline serve}: browses the results store in a web browser until Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
        "Browse the results store in a web browser: the runs newest first with their verdicts, a filter by"
            + " test, each run's files, and a run as one zip. Read-only; runs stored meanwhile appear on reload.",
        "Listens on 127.0.0.1 (this machine only) unless --host says otherwise, until Ctrl-C.",
        "Exit 254 when the store is missing or the address cannot be listened on."})
final class ServeCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--store", paramLabel = "DIR", defaultValue = "store", description = "The results store (default ${DEFAULT-VALUE}).")
  Path store;

  @Option(names = "--host", paramLabel = "H", defaultValue = StoreServer.DEFAULT_HOST,
      description = "The address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 lets other machines read the store).")
  String host;

  @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
      description = "The port to listen on (default ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) throw new UsageException("--port takes 0 to 65535 (0 picks a free port), not " + port);
    String noStore = store + ": no such folder; run faultline test first or pass --store DIR";
    if (!Files.isDirectory(store)) throw new UsageException(noStore);
    StoreServer server;
    try {
      server = StoreServer.start(store, host, port);
    } catch (BindException e) {
      throw new UsageException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
          + "); pass another --port (0 picks a free one) or --host");
    } catch (UnknownHostException e) {
      throw new UsageException("--host " + host + ": no such address on this machine");
    } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
      throw new UsageException(noStore); // removed between the check and the start
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      Shutdown.begin();
      server.close();
      stopped.countDown();
    }, "faultline-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    PrintWriter out = spec.commandLine().getOut();
    try {
      String shown = host.contains(":") ? "[" + host + "]" : host;
      out.println("faultline serve: http://" + shown + ":" + server.port() + "/ (store " + store + "); Ctrl-C to stop");
      out.flush();
      stopped.await();
    } catch (InterruptedException e) {
      // Interrupted by whoever called us rather than by a signal: stop serving, as Ctrl-C would.
      Thread.currentThread().interrupt();
    } finally {
      server.close();
      if (!Shutdown.inProgress()) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // shutting down after all; the hook only closes what is already closed
        }
      }
    }
    return ExitCodes.VALID;
  }
}
