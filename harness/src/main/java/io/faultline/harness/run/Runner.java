package io.faultline.harness.run;

import io.faultline.checkers.history.Op;
import io.faultline.harness.Registries;
import io.faultline.harness.runtime.AsyncClient;
import io.faultline.harness.runtime.Cluster;
import io.faultline.harness.runtime.EnvironmentException;
import io.faultline.harness.runtime.Loop;
import io.faultline.harness.runtime.NodeStartException;
import io.faultline.harness.runtime.Runtime;
import io.faultline.harness.target.Target;
import io.faultline.nemesis.Fabric;
import io.faultline.nemesis.Nemesis;
import io.faultline.nemesis.NemesisSchedule;
import io.faultline.results.store.Store;
import io.faultline.targets.sim.Seeds;
import io.faultline.workloads.Workload;
import io.faultline.workloads.client.Router;
import io.faultline.workloads.client.Routing;
import io.faultline.workloads.generator.Generator;
import io.faultline.workloads.generator.Generators;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The controller's loop, Jepsen's, the same on every runtime: deploy the target on the runtime and
 * start it; wait for a leader; run the workload with one worker per unit of concurrency while the
 * nemesis works through its schedule; then, whatever happened, the final phase: heal every fault,
 * restart and resume every node, let the cluster settle, demand that every worker completes an
 * operation again (a cluster that does not recover fails for liveness), run the workload's final
 * reads, stop the nodes, check the history and store it all. Every step runs as events on the
 * cluster's {@link Loop}, so on the simulator's virtual clock the whole run follows from the seed.
 *
 * <p>Contract. {@link #run} runs once. {@link #abort} may be called from any thread (a signal
 * handler, say): it ends the workload phase early and the final phase still runs; {@link
 * #awaitFinished} lets that thread wait until what was recorded is checked and stored.
 */
public final class Runner {
  /** How long the run waits for a leader before the workload starts anyway. */
  private static final Duration LEADER_WAIT = Duration.ofSeconds(30);
  private static final long POLL_LEADER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** When a run's folder is written: always, or only when it did not pass (a sweep of seeds). */
  public enum Keep { ALWAYS, UNLESS_VALID }

  private final TestSpec spec;
  private final Store store;
  private final PrintWriter console;
  private final List<String> commandLine;
  private final Keep keep;
  private final int checkThreads;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile String abortReason;
  private String folderName;

  /** A run that is always stored, says what it does on {@code console}, and checks on every core. */
  public Runner(TestSpec spec, Store store, PrintWriter console, List<String> commandLine) {
    this(spec, store, console, commandLine, Keep.ALWAYS, java.lang.Runtime.getRuntime().availableProcessors());
  }

  /**
   * @param console where progress and the verdict are said; null to say nothing
   * @param checkThreads threads the checker may use (one when seeds run side by side)
   */
  public Runner(TestSpec spec, Store store, PrintWriter console, List<String> commandLine, Keep keep, int checkThreads) {
    this.spec = spec;
    this.store = store;
    this.console = console;
    this.commandLine = List.copyOf(commandLine);
    this.keep = keep;
    this.checkThreads = checkThreads;
  }

  /**
   * Names a simulated run's folder ({@code seed-<n>} otherwise), as {@code faultline shrink} stores
   * the smallest failing run beside the one it shrank.
   */
  public Runner storedAs(String runFolder) {
    this.folderName = runFolder;
    return this;
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
    Target target = Registries.TARGETS.get(spec.target());
    Runtime runtime = Registries.RUNTIMES.get(spec.runtime());
    Workload workload = spec.workloadInstance();
    long wallStart = System.nanoTime();
    RunFolder folder;
    try {
      folder = runtime.deterministic()
          ? RunFolder.deferred(store, spec, commandLine, keep, folderName == null ? "seed-" + spec.seed() : folderName)
          : RunFolder.now(store, spec, commandLine, Instant.now());
    } catch (IOException | UncheckedIOException e) {
      throw new StoreException("cannot start the run's folder in " + store.root() + ": " + StoreException.describe(e)
          + "; free space or pass --store DIR", e);
    }
    ControllerLog log = folder.dir() != null
        ? ControllerLog.streaming(folder.dir().resolve(Store.CONTROLLER_LOG), console)
        : ControllerLog.inMemory(console, () -> 0L);
    try (log) {
      log.say("faultline test " + spec.name() + ": seed " + spec.seed() + ", runtime " + spec.runtime()
          + (folder.dir() != null ? ", store " + folder.dir() : ""));
      Path work = WorkDirs.create();
      Phases phases = new Phases(target, workload, log, runtime.deterministic());
      try {
        Cluster cluster = null;
        try {
          // Into the store as they are written: a controller killed mid-run still leaves them.
          Path nodesDir = folder.dir() == null ? null : folder.dir().resolve(Store.NODES);
          cluster = runtime.deploy(target, spec, work, nodesDir, log::info);
          if (folder.dir() == null) log.clock(cluster.loop()::now);
          phases.run(cluster, folder);
        } catch (NodeStartException | IllegalArgumentException e) {
          phases.errors.add(e.getMessage());
          log.say("faultline: " + e.getMessage());
        } catch (EnvironmentException e) {
          // No verdict: the machine could not run the test. The caller says so and exits 255.
          phases.errors.add(e.getMessage());
          log.info("the environment cannot run this test: " + e.getMessage());
          throw e;
        } catch (RuntimeException | Error e) {
          phases.errors.add("internal error: " + e);
          log.say("faultline: internal error: " + e);
          throw e;
        } finally {
          if (cluster != null) {
            try {
              cluster.close();
              log.info("nodes stopped");
            } catch (RuntimeException e) {
              phases.errors.add("could not tear the cluster down cleanly: " + e.getMessage());
              log.say("faultline: could not tear the cluster down cleanly: " + e.getMessage());
            }
          }
          if (phases.history != null) phases.history.close();
        }
        RunResult result = Outcome.finish(spec, workload, folder, phases.record(cluster, wallStart), log, checkThreads);
        log.say(result.line());
        return result;
      } finally {
        folder.finished();
        deleteTree(work, log);
      }
    }
  }

  /** What happens between deploying the cluster and checking: each phase, as events on the cluster's loop. */
  private final class Phases {
    final Target target;
    final Workload workload;
    final ControllerLog log;
    final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    HistoryLog history;
    Interpreter interpreter;
    Nemesis nemesis;
    String liveness;
    /** Whether liveness was judged at all: not when the run was interrupted before its recovery phase. */
    boolean livenessJudged;
    /** Why the run did not show the system working at its end, or null when it did. */
    String unproven;
    long faults;
    long runNanos;
    private List<AsyncClient> clients = List.of();
    private volatile boolean faultsOver;

    /** What the nodes report, checked as it comes; null until the cluster runs. */
    Invariants invariants;
    private FaultPoints faultPoints;
    private final boolean deterministic;

    Phases(Target target, Workload workload, ControllerLog log, boolean deterministic) {
      this.target = target;
      this.workload = workload;
      this.log = log;
      this.deterministic = deterministic;
    }

    void run(Cluster cluster, RunFolder folder) throws NodeStartException, IOException {
      Loop loop = cluster.loop();
      Fabric fabric = cluster.fabric();
      Nemesis.requireSupported(fabric, spec.nemesis());
      log.say("starting " + spec.nodes() + " " + spec.target() + " nodes (" + spec.runtime() + ")");
      long[] origin0 = {loop.now()};
      invariants = new Invariants(() -> loop.now() - origin0[0]);
      cluster.observe((node, o) -> {
        invariants.accept(node, o);
        if (faultPoints != null) faultPoints.accept(node, o);
      });
      cluster.start();
      if (target.hasLeader()) {
        Optional<String> leader = awaitLeader(cluster, LEADER_WAIT);
        log.info(leader.map(l -> "leader: " + l).orElse("no leader reported yet; starting the workload anyway"));
      }
      long origin = loop.now();
      origin0[0] = origin;
      history = folder.dir() != null
          ? new HistoryLog(folder.dir().resolve(Store.HISTORY), () -> loop.now() - origin)
          : HistoryLog.inMemory(() -> loop.now() - origin);
      nemesis = new Nemesis(fabric, () -> cluster.leader().orElse(null), Seeds.derive(spec.seed(), "nemesis-targets", 0));
      NemesisSchedule schedule = spec.schedule() != null ? NemesisSchedule.of(spec.schedule(), cluster.nodes())
          : NemesisSchedule.draw(spec.nemesis(), cluster.nodes(), spec.nemesisInterval(), spec.timeLimit(),
              Seeds.derive(spec.seed(), "nemesis", 0), fabric.pace());
      List<AsyncClient> opened = new ArrayList<>();
      List<Router> routers = new ArrayList<>();
      Routing routing = Routing.parse(spec.routing());
      for (int i = 0; i < spec.concurrency(); i++) {
        opened.add(cluster.client(i));
        routers.add(routing.router(cluster.nodes(), Seeds.stream(spec.seed(), "routing", i), Routing.weights(spec.routing())));
      }
      clients = opened;
      // Fault points only where a run is a function of its seed: on real processes the node's
      // events are not seen, and a kill at a moment is a kill at a moment of real time.
      if (deterministic && spec.faultPoints() > 0 && spec.nemesis().contains(io.faultline.nemesis.FaultKind.KILL)) {
        faultPoints = new FaultPoints(loop, nemesis, this::record, Seeds.stream(spec.seed(), "fault-points", 0),
            fabric.pace(), spec.faultPoints());
        log.info("fault points: a kill after " + String.join(", ", faultPoints.live()) + ", chance " + spec.faultPoints());
      }
      interpreter = new Interpreter(loop, origin, history, clients, routers, Seeds.stream(spec.seed(), "generator", 0));
      StatusLine status = folder.dir() != null && console != null ? new StatusLine(console, history, nemesis::inForce) : null;
      try {
        workloadPhase(loop, origin, schedule, status);
        finalPhase(cluster, loop);
      } finally {
        errors.addAll(cluster.nodeErrors());
        for (AsyncClient c : clients) c.close();
      }
    }

    private Optional<String> awaitLeader(Cluster cluster, Duration timeout) {
      Loop loop = cluster.loop();
      Optional<String>[] found = new Optional[] {Optional.empty()};
      long deadline = loop.now() + timeout.toNanos();
      Runnable[] poll = new Runnable[1];
      poll[0] = () -> {
        found[0] = cluster.leader();
        if (found[0].isEmpty() && loop.now() < deadline) loop.after(POLL_LEADER_NANOS, poll[0]);
      };
      loop.post(poll[0]);
      loop.runUntil(() -> found[0].isPresent() || abortReason != null, deadline);
      return found[0];
    }

    private void workloadPhase(Loop loop, long origin, NemesisSchedule schedule, StatusLine status) {
      for (NemesisSchedule.Step step : schedule.steps()) {
        // One lane per kind, so that a slow step of one kind (a restart waits until the node
        // answers, a clock change until the node has read it) does not delay the others' steps.
        loop.at(origin + step.atNanos(), () -> {
          if (!faultsOver) loop.offload("nemesis-" + step.kind().wireName(), () -> {
            if (!faultsOver) record(nemesis.apply(step));
          });
        });
      }
      faults = schedule.steps().size();
      log.info("workload phase: " + Durations.format(spec.timeLimit()) + ", " + spec.concurrency() + " workers, "
          + (spec.rate() > 0 ? spec.rate() + " ops/s" : "unthrottled") + ", nemesis " + spec.nemesisNames());
      if (status != null) status.start();
      try {
        interpreter.start(Generators.timeLimit(spec.timeLimit(), paced(workload.generator())));
        long cap = loop.now() + spec.timeLimit().toNanos() + 4 * spec.clientTimeout().toNanos() + 60_000_000_000L;
        Loop.Stop stop = loop.runUntil(() -> interpreter.drained() || abortReason != null, cap);
        if (stop != Loop.Stop.DONE) stopped(stop, loop, "the workload phase");
        if (!interpreter.drained()) {
          interpreter.stop();
          drain(loop);
        }
      } finally {
        // Not interrupted: a fault half applied is worse than one that finishes; every step looks
        // at faultsOver first, and the final phase undoes whatever is in force.
        faultsOver = true;
        if (faultPoints != null) faultPoints.stop();
        loop.runUntil(loop::lanesIdle, loop.now() + 60_000_000_000L);
        if (status != null) status.stop();
      }
    }

    private void finalPhase(Cluster cluster, Loop loop) {
      log.info("final phase" + (abortReason != null ? " (" + abortReason + ")" : ""));
      record(nemesis.healAll());
      bringBack(cluster, false);
      loop.runUntil(() -> false, loop.now() + spec.settle().toNanos());
      // Again after settling: a node may have been dying when it was first looked at (a signal to
      // the whole process group reaches the nodes too), and whatever the nemesis did or did not do,
      // every node must run for the final phase to show anything.
      bringBack(cluster, true);
      if (abortReason == null && liveness == null) recoveryPhase(loop);
      livenessJudged = liveness != null || abortReason == null;
      if (liveness == null || !liveness.startsWith("a storm")) {
        interpreter.resetProgress();
        interpreter.start(workload.finalGenerator(cluster.nodes()));
        Loop.Stop stop = loop.runUntil(interpreter::drained, loop.now() + 4 * spec.clientTimeout().toNanos()
            + 60_000_000_000L);
        if (stop != Loop.Stop.DONE) stopped(stop, loop, "the final reads");
        long issued = 0;
        long ok = 0;
        for (Interpreter.Worker w : interpreter.workers()) {
          issued += w.completed;
          ok += w.oks;
        }
        log.info("final reads done: " + ok + " of " + issued + " ok");
        if (issued > 0 && ok == 0) {
          unproven = "none of the " + issued + " final reads completed after the heal: the run did not show the"
              + " system working (see the nodes' logs)";
          log.say("faultline: " + unproven);
        }
      }
      runNanos = history.now();
    }

    /** Starts every node that is down and thaws every paused one; {@code again} only says so in the log. */
    private void bringBack(Cluster cluster, boolean again) {
      Fabric fabric = cluster.fabric();
      for (String node : cluster.nodes()) {
        try {
          fabric.start(node);
          fabric.resume(node);
        } catch (RuntimeException e) {
          errors.add("could not bring " + node + " back: " + e.getMessage());
          log.say("faultline: could not bring " + node + " back" + (again ? " after settling" : "") + ": " + e.getMessage());
        }
      }
    }

    /** Every worker must complete an operation ok before the recovery deadline. */
    private void recoveryPhase(Loop loop) {
      interpreter.resetProgress();
      interpreter.start(paced(workload.generator()));
      Loop.Stop stop = loop.runUntil(interpreter::everyWorkerProgressed, loop.now() + spec.recovery().toNanos());
      if (stop == Loop.Stop.STORM) {
        liveness = loop.storm();
        return;
      }
      if (stop != Loop.Stop.DONE) {
        List<String> stuck = new ArrayList<>();
        for (Interpreter.Worker w : interpreter.workers()) {
          if (w.oks > 0) continue;
          Op last = w.last;
          stuck.add("client " + w.index + (last == null ? "" : " (last: " + last.type().wireName() + " " + last.f()
              + (last.error() == null ? "" : ", " + last.error()) + ")"));
        }
        liveness = stuck.size() + " of " + interpreter.workers().length + " clients completed no operation within "
            + Durations.format(spec.recovery()) + " after healing and settling: " + String.join(", ", stuck);
        log.say("faultline: liveness: " + liveness);
      }
      interpreter.stop();
      drain(loop);
    }

    private void drain(Loop loop) {
      Loop.Stop stop = loop.runUntil(interpreter::drained, loop.now() + 4 * spec.clientTimeout().toNanos() + 60_000_000_000L);
      if (stop != Loop.Stop.DONE) stopped(stop, loop, "waiting for operations in flight");
    }

    private void stopped(Loop.Stop stop, Loop loop, String where) {
      if (stop == Loop.Stop.STORM) {
        if (liveness == null) liveness = loop.storm();
        return;
      }
      if (abortReason != null) return;
      String why = where + " did not end by its deadline";
      errors.add(why);
      log.say("faultline: " + why);
    }

    private Generator paced(Generator g) {
      return spec.rate() > 0 ? Generators.stagger(Duration.ofNanos(Math.max(1, (long) (1e9 / spec.rate()))), g) : g;
    }

    private void record(List<Nemesis.Event> events) {
      for (Nemesis.Event event : events) {
        history.nemesis(event.f(), event.value());
        log.info("nemesis " + event.f() + " " + event.value());
      }
    }

    /** What the run leaves for the check and the store. */
    Outcome.Record record(Cluster cluster, long wallStart) {
      return new Outcome.Record(history == null ? null : history.records(), history == null ? null : history,
          List.copyOf(errors), abortReason, livenessJudged ? Outcome.liveness(liveness) : null, unproven, cluster, faults, runNanos, System.nanoTime() - wallStart,
          invariants == null ? List.of() : invariants.violations(),
          invariants == null ? java.util.Map.of() : new java.util.TreeMap<>(invariants.counts()));
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
