package io.faultline.harness.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.faultline.checkers.Validity;
import io.faultline.harness.sim.Seeds;
import io.faultline.nemesis.Fabric;
import io.faultline.nemesis.FaultKind;
import io.faultline.nemesis.Nemesis;
import io.faultline.nemesis.NemesisSchedule;
import io.faultline.results.store.Store;
import io.faultline.workloads.Workload;
import io.faultline.workloads.Workloads;
import io.faultline.workloads.client.Client;
import io.faultline.workloads.client.HttpTargetClient;
import io.faultline.workloads.client.Router;
import io.faultline.workloads.client.Routing;
import io.faultline.workloads.generator.Generator;
import io.faultline.workloads.generator.Generators;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The controller's loop, Jepsen's: start the cluster and wait until it answers; open the clients;
 * run the workload with one worker per unit of concurrency while the nemesis works through its
 * schedule; then, whatever happened, the final phase: heal every fault, restart and resume every
 * node, reset clocks, wait for the cluster to recover, run the workload's final reads, stop the
 * nodes, collect their logs, check the history and store it all.
 *
 * <p>Contract. {@link #run} runs once. {@link #abort} may be called from any thread (a signal
 * handler, say): it ends the workload phase early and the final phase still runs; {@link
 * #awaitFinished} lets that thread wait until what was recorded is checked and stored.
 */
public final class Runner {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** How long the final phase waits for a leader before running the final reads anyway. */
  private static final Duration RECOVERY = Duration.ofSeconds(30);

  private final TestSpec spec;
  private final Store store;
  private final PrintWriter console;
  private final List<String> commandLine;
  private final DeploymentFactory deployments;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile String abortReason;
  private volatile boolean workloadOver;

  /** Makes the deployment a spec asks for, in a working directory the runner owns. */
  interface DeploymentFactory {
    Deployment create(TestSpec spec, Path workDir, ControllerLogSink log);
  }

  /** Where a deployment may write lines of the controller's log. */
  interface ControllerLogSink {
    void info(String line);
  }

  public Runner(TestSpec spec, Store store, PrintWriter console, List<String> commandLine) {
    this(spec, store, console, commandLine, Deployments::create);
  }

  Runner(TestSpec spec, Store store, PrintWriter console, List<String> commandLine, DeploymentFactory deployments) {
    this.spec = spec;
    this.store = store;
    this.console = console;
    this.commandLine = List.copyOf(commandLine);
    this.deployments = deployments;
  }

  /** Ends the workload phase early; the final phase (heal, final reads, check, store) still runs. */
  public void abort(String why) {
    if (abortReason == null) abortReason = why;
  }

  /** Waits until the run has stored its results; false when {@code timeout} passed first. */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public RunResult run() throws IOException {
    try {
      return runOnce();
    } finally {
      finished.countDown();
    }
  }

  private RunResult runOnce() throws IOException {
    Instant began = Instant.now();
    Path dir = store.newRun(spec.name(), began);
    Workload workload = Workloads.named(spec.workload());
    try (ControllerLog log = new ControllerLog(dir.resolve(Store.CONTROLLER_LOG), console)) {
      writeTest(dir, began);
      store.markLatest(dir);
      log.say("faultline test " + spec.name() + ": seed " + spec.seed() + ", store " + dir);
      Path work = Files.createTempDirectory("faultline-run-");
      List<String> errors = Collections.synchronizedList(new ArrayList<>());
      HistoryLog history = null;
      Deployment deployment = null;
      try {
        deployment = deployments.create(spec, work, log::info);
        Fabric fabric = deployment.fabric();
        Nemesis.requireSupported(fabric, spec.nemesis());
        log.say("starting " + spec.nodes() + " " + spec.target() + " nodes (" + spec.runtime() + ")");
        deployment.start();
        deployment.awaitLeader(RECOVERY).ifPresentOrElse(l -> log.info("leader: " + l),
            () -> log.info("no leader reported yet; starting the workload anyway"));
        history = new HistoryLog(dir.resolve(Store.HISTORY), System.nanoTime());
        runPhases(workload, deployment, history, log, errors);
      } catch (Deployment.NodeStartException e) {
        errors.add(e.getMessage());
        log.say("faultline: " + e.getMessage());
      } catch (IllegalArgumentException e) {
        errors.add(e.getMessage());
        log.say("faultline: " + e.getMessage());
      } catch (RuntimeException | Error e) {
        errors.add("internal error: " + e);
        log.say("faultline: internal error: " + e);
        throw e;
      } finally {
        if (deployment != null) {
          try {
            deployment.close();
            log.info("nodes stopped");
          } catch (RuntimeException e) {
            errors.add("could not tear the cluster down cleanly: " + e.getMessage());
            log.say("faultline: could not tear the cluster down cleanly: " + e.getMessage());
          }
          Outcome.collectLogs(deployment, dir, log);
        }
        if (history != null) history.close();
      }
      try {
        if (history == null) {
          RunResult r = RunResult.notRun(dir, spec.seed(), errors);
          Outcome.writeNotRun(dir, spec, r);
          log.say(r.line());
          return r;
        }
        RunResult result = Outcome.checkAndStore(spec, workload, history, dir, errors, abortReason, log);
        if (result.validity() != Validity.TRUE && deployment != null) {
          Outcome.keepData(deployment, dir, log);
        }
        log.say(result.line());
        return result;
      } finally {
        deleteTree(work, log);
      }
    }
  }

  private void runPhases(Workload workload, Deployment deployment, HistoryLog history, ControllerLog log,
      List<String> errors) {
    Fabric fabric = deployment.fabric();
    Nemesis nemesis = new Nemesis(fabric, () -> deployment.leader().orElse(null),
        Seeds.derive(spec.seed(), "nemesis-targets", 0));
    NemesisSchedule schedule = NemesisSchedule.draw(spec.nemesis(), deployment.nodes(), spec.nemesisInterval(),
        spec.timeLimit(), Seeds.derive(spec.seed(), "nemesis", 0));
    List<Client> clients = new ArrayList<>();
    List<Router> routers = new ArrayList<>();
    Routing routing = Routing.parse(spec.routing());
    Map<String, String> addresses = deployment.clientAddresses();
    for (int i = 0; i < spec.concurrency(); i++) {
      String first = deployment.nodes().get(i % deployment.nodes().size());
      clients.add(new HttpTargetClient(first, addresses, spec.clientTimeout()));
      routers.add(routing.router(deployment.nodes(), Seeds.stream(spec.seed(), "routing", i)));
    }
    Interpreter interpreter = new Interpreter(history, clients, routers, Seeds.stream(spec.seed(), "generator", 0));
    // One thread per kind of fault, so a slow step of one kind (a restart waits until the node
    // answers, a clock change until every node has read it) does not delay the others' steps.
    Map<FaultKind, List<NemesisSchedule.Step>> byKind = new EnumMap<>(FaultKind.class);
    for (NemesisSchedule.Step step : schedule.steps()) byKind.computeIfAbsent(step.kind(), k -> new ArrayList<>()).add(step);
    List<Thread> nemesisThreads = new ArrayList<>();
    byKind.forEach((kind, steps) -> nemesisThreads.add(new Thread(() -> runSchedule(steps, nemesis, history, log, errors),
        "nemesis-" + kind.wireName())));
    StatusLine status = new StatusLine(console, history, nemesis::inForce);
    try {
      nemesisThreads.forEach(Thread::start);
      status.start();
      log.info("workload phase: " + Durations.format(spec.timeLimit()) + ", " + spec.concurrency() + " workers, "
          + (spec.rate() > 0 ? spec.rate() + " ops/s" : "unthrottled") + ", nemesis " + spec.nemesisNames());
      Generator main = workload.generator();
      if (spec.rate() > 0) main = Generators.stagger(Duration.ofNanos(Math.max(1, (long) (1e9 / spec.rate()))), main);
      try {
        interpreter.run(Generators.timeLimit(spec.timeLimit(), main), () -> abortReason != null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abort("interrupted");
      } catch (RuntimeException e) {
        errors.add("workload phase ended early: " + e);
        log.say("faultline: workload phase ended early: " + e);
      }
    } finally {
      // Not interrupted: a fault half applied is worse than one that finishes; the loop looks at
      // workloadOver between steps and the final phase undoes whatever is in force.
      workloadOver = true;
      nemesisThreads.forEach(Runner::join);
      status.stop();
      finalPhase(workload, deployment, nemesis, interpreter, history, log, errors);
      interpreter.close();
      for (Client c : clients) c.close();
    }
  }

  private void runSchedule(List<NemesisSchedule.Step> steps, Nemesis nemesis, HistoryLog history, ControllerLog log,
      List<String> errors) {
    try {
      for (NemesisSchedule.Step step : steps) {
        while (!workloadOver && history.now() < step.atNanos()) {
          Thread.sleep(Math.max(1, Math.min(100, (step.atNanos() - history.now()) / 1_000_000)));
        }
        if (workloadOver) return;
        for (Nemesis.Event event : nemesis.apply(step)) {
          history.nemesis(event.f(), event.value());
          log.info("nemesis " + event.f() + " " + event.value());
        }
      }
    } catch (InterruptedException e) {
      // the workload phase is over
    } catch (RuntimeException e) {
      synchronized (errors) {
        errors.add("nemesis failed: " + e);
      }
      log.say("faultline: nemesis failed: " + e + "; ending the workload phase");
      abort("nemesis failed");
    }
  }

  private void finalPhase(Workload workload, Deployment deployment, Nemesis nemesis, Interpreter interpreter,
      HistoryLog history, ControllerLog log, List<String> errors) {
    log.info("final phase" + (abortReason != null ? " (" + abortReason + ")" : ""));
    try {
      for (Nemesis.Event event : nemesis.healAll()) {
        history.nemesis(event.f(), event.value());
        log.info("nemesis " + event.f() + " " + event.value());
      }
      Fabric fabric = deployment.fabric();
      for (String node : deployment.nodes()) {
        try {
          fabric.start(node);
          fabric.resume(node);
        } catch (RuntimeException e) {
          errors.add("could not bring " + node + " back: " + e.getMessage());
          log.say("faultline: could not bring " + node + " back: " + e.getMessage());
        }
      }
      deployment.awaitLeader(RECOVERY).ifPresentOrElse(l -> log.info("recovered; leader " + l),
          () -> log.say("faultline: no leader within " + Durations.format(RECOVERY) + " of healing; final reads may fail"));
      interpreter.run(workload.finalGenerator(deployment.nodes()), () -> false);
      log.info("final reads done");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      errors.add("final phase interrupted");
    } catch (RuntimeException e) {
      errors.add("final phase failed: " + e);
      log.say("faultline: final phase failed: " + e);
    }
  }

  private void writeTest(Path dir, Instant began) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("name", spec.name());
    doc.put("spec", spec.toMap());
    doc.put("seed", spec.seed());
    doc.put("began", began.toString());
    doc.put("command", commandLine);
    doc.put("repro", "faultline repro " + dir);
    Map<String, Object> versions = new LinkedHashMap<>();
    String v = Runner.class.getPackage().getImplementationVersion();
    versions.put("faultline", v == null ? "development build" : v);
    versions.put("java", System.getProperty("java.version"));
    versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    doc.put("versions", versions);
    JSON.writeValue(dir.resolve(Store.TEST).toFile(), doc);
  }

  private static void join(Thread t) {
    try {
      t.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteTree(Path root, ControllerLog log) {
    if (!Files.exists(root)) return;
    try (var paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          log.info("could not delete " + p + ": " + e.getMessage());
        }
      });
    } catch (IOException e) {
      log.info("could not clean " + root + ": " + e.getMessage());
    }
  }
}
