package io.faultline.harness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Checker;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.Edn;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.HistoryException;
import io.faultline.checkers.history.HistoryFormat;
import io.faultline.checkers.history.HistoryReader;
import io.faultline.checkers.history.HistoryTooLargeException;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.Operation;
import io.faultline.checkers.linear.Analysis;
import io.faultline.checkers.linear.LinearizabilityChecker;
import io.faultline.checkers.model.Model;
import io.faultline.checkers.model.Models;
import io.faultline.checkers.model.Semantics;
import io.faultline.checkers.txn.TxnChecker;
import io.faultline.harness.run.Outcome;
import io.faultline.harness.run.RunResult;
import io.faultline.results.counterexample.CounterexamplePage;
import io.faultline.results.report.IsolationAnomalies;
import io.faultline.results.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code faultline check}: checks recorded histories for linearizability against a model, or, with
 * --model list-append or rw-register, for transactional isolation against consistency models.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
        "Check histories (Faultline JSON lines, Jepsen EDN, Jepsen logs, Porcupine key/value) for"
            + " linearizability, or (--model list-append, rw-register) for transactional isolation as Elle does."
            + " One verdict line per file.",
        "Exit 0 valid, 1 invalid, 2 unknown, 254 bad arguments or malformed input, 255 internal error."})
final class CheckCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper JSON_LINE = new ObjectMapper();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE",
      description = "History files, or one stored run's folder (such as store/latest) to check it again with its workload's checker.")
  List<Path> files;

  @Option(names = "--model", paramLabel = "M",
      description = "Sequential model: ${COMPLETION-CANDIDATES}.", completionCandidates = ModelNames.class)
  String model;

  @Option(names = "--init", paramLabel = "EDN",
      description = "The model's initial state as EDN, such as 0, nil or {:x 0 :y 0}. Default: the model's own.")
  String init;

  @Option(names = "--format", paramLabel = "F",
      description = "Force the format (jsonl, edn, jepsen-log, porcupine-kv) instead of detecting it.")
  String format;

  @Option(names = "--timeout", paramLabel = "T", defaultValue = "10m", converter = DurationConverter.class,
      description = "Time allowed per history before the verdict is unknown (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--memory", paramLabel = "MiB",
      description = "Memory the search may hold, and the most text read, before the verdict is unknown."
          + " Default: half the heap.")
  Long memoryMiB;

  @Option(names = "--threads", paramLabel = "N", description = "Threads for independent keys. Default: every core.")
  Integer threads;

  @Option(names = "--nil-read", paramLabel = "R",
      description = "What an ok read of nil means: wildcard (Knossos) or absent (Porcupine). Default: by format.")
  String nilRead;

  @Option(names = "--failed-op", paramLabel = "R",
      description = "What a fail completion means: did-not-happen (Jepsen) or observed (Porcupine's failed CAS)."
          + " Default: by format.")
  String failedOp;

  @Option(names = "--checker", paramLabel = "C", defaultValue = "faultline",
      description = "faultline (default) or knossos (needs --knossos-jar).")
  String checker;

  @Option(names = "--knossos-jar", paramLabel = "PATH", description = "A Knossos jar, for --checker knossos.")
  Path knossosJar;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Write results.json and, when invalid, counterexample.html (anomalies.html for a"
          + " transactional model) per file under DIR.")
  Path out;

  @Option(names = "--strict",
      description = "Refuse as malformed what is otherwise a warning: a torn last line (dropped), indices or"
          + " times out of order.")
  boolean strict;

  @Option(names = "--json", description = "Print one JSON object per file instead of a verdict line.")
  boolean json;

  @Option(names = "--consistency", paramLabel = "M", split = ",",
      description = "list-append, rw-register: consistency models that must hold, such as read-committed,"
          + " snapshot-isolation, serializable. Default: strict-serializable (none when --anomalies is given)."
          + " Other models: linearizable (the default) or sequential (each process's order instead of real time).")
  List<String> consistency;

  @Option(names = "--anomalies", paramLabel = "A", split = ",",
      description = "list-append, rw-register: anomalies to look for, each with those that imply it (G1 means"
          + " G1a, G1b, G1c and G0), as Elle's option of that name.")
  List<String> anomalies;

  @Option(names = "--wfr-keys", description = "rw-register: a transaction's writes follow its reads, so its read and"
      + " then write of a key order the two versions.")
  boolean wfrKeys;

  @Option(names = "--sequential-keys", description = "rw-register: each key is sequentially consistent, so each"
      + " process's order orders its versions.")
  boolean sequentialKeys;

  @Option(names = "--linearizable-keys", description = "rw-register: each key is linearizable, so real-time order"
      + " orders its versions.")
  boolean linearizableKeys;

  /** {@code --consistency sequential} on a model other than the transactional ones. */
  private boolean sequential;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    if (files.size() == 1 && Files.isDirectory(files.get(0))) return recheck(files.get(0), stdout, stderr);
    if (model == null) {
      throw new UsageException("--model is needed to check a history file (or name a stored run's folder instead)");
    }
    HistoryFormat forced = format == null ? null : parse(() -> HistoryFormat.fromName(format));
    Object initial = init == null ? null : parse(() -> Edn.parse(init));
    TxnChecker.Workload txnWorkload = TxnChecker.Workload.fromName(model);
    if (!Models.NAMES.contains(model) && txnWorkload == null) {
      throw new UsageException("unknown model '" + model + "'; expected one of " + String.join(", ", ModelNames.all()));
    }
    boolean sequential = txnWorkload == null && consistency != null && consistency.equals(List.of("sequential"));
    boolean linearizable = txnWorkload == null && consistency != null && consistency.equals(List.of("linearizable"));
    if (sequential && checker.equals("knossos")) {
      throw new UsageException("--checker knossos checks linearizability only; leave out --consistency sequential");
    }
    if (txnWorkload == null && consistency != null && !sequential && !linearizable) {
      throw new UsageException("--consistency for --model " + model + " is linearizable or sequential, not "
          + String.join(",", consistency) + "; the transactional models are for --model list-append or rw-register");
    }
    this.sequential = sequential;
    if (txnWorkload == null && (anomalies != null || wfrKeys || sequentialKeys || linearizableKeys)) {
      throw new UsageException("--consistency, --anomalies and the --*-keys options are for transactional"
          + " histories (--model list-append or rw-register), not --model " + model);
    }
    if (txnWorkload != TxnChecker.Workload.RW_REGISTER && (wfrKeys || sequentialKeys || linearizableKeys)) {
      throw new UsageException("--wfr-keys, --sequential-keys and --linearizable-keys order a register's versions;"
          + " list-append's reads order them already: use them with --model rw-register");
    }
    TxnChecker txnChecker = txnWorkload == null ? null : parse(() -> new TxnChecker(
        TxnChecker.Options.of(txnWorkload).withConsistency(consistency).withAnomalies(anomalies)
            .withVersionOrders(wfrKeys, sequentialKeys, linearizableKeys)));
    if (txnChecker != null && !checker.equals("faultline")) {
      throw new UsageException("--checker " + checker + " checks linearizability; transactional histories are checked"
          + " by faultline's own checker");
    }
    if (!checker.equals("faultline") && !checker.equals("knossos")) {
      throw new UsageException("unknown checker '" + checker + "'; expected faultline or knossos");
    }
    if (threads != null && threads < 1) throw new UsageException("--threads must be at least 1");
    if (memoryMiB != null && memoryMiB < 1) throw new UsageException("--memory must be at least 1 MiB");
    // Past this, MiB to bytes overflows: no machine has it, and the budget would turn negative.
    if (memoryMiB != null && memoryMiB > (1L << 40)) {
      throw new UsageException("--memory " + memoryMiB + " MiB is more than any machine has; give the budget in MiB,"
          + " such as --memory 2048");
    }
    if (out != null) {
      try {
        Files.createDirectories(out);
      } catch (IOException | UnsupportedOperationException e) {
        throw new UsageException("cannot use " + out + " for --out (" + e.getMessage() + "); pass --out DIR with a"
            + " writable folder");
      }
      if (!Files.isDirectory(out) || !Files.isWritable(out)) {
        throw new UsageException("cannot write to " + out + " for --out; pass --out DIR with a writable folder");
      }
    }
    CheckContext context = new CheckContext("check", timeout,
        memoryMiB != null ? memoryMiB << 20 : Runtime.getRuntime().maxMemory() / 2,
        threads != null ? threads : Runtime.getRuntime().availableProcessors());

    Validity overall = Validity.TRUE;
    boolean malformed = false;
    int valid = 0;
    int invalid = 0;
    int unknown = 0;
    Set<String> outNames = new HashSet<>();
    for (Path file : files) {
      long start = System.nanoTime();
      HistoryFormat fileFormat = forced;
      History history = null;
      Result result = null;
      try {
        if (fileFormat == null) fileFormat = HistoryReader.detect(file);
        // Transactional histories (Elle's among them) often hold completions alone: they are paired
        // by the checker, not refused here as calls and returns.
        history = txnChecker != null
            ? HistoryReader.readUnpaired(file, fileFormat, context.memoryBudgetBytes(), strict)
            : HistoryReader.read(file, fileFormat, context.memoryBudgetBytes(), strict);
      } catch (HistoryException e) {
        stderr.println("faultline: " + e.getMessage());
        malformed = true;
        continue;
      } catch (NoSuchFileException e) {
        stderr.println("faultline: " + file + ": no such file; check the path");
        malformed = true;
        continue;
      } catch (IOException e) {
        stderr.println("faultline: " + file + ": cannot read (" + e.getMessage() + ")");
        malformed = true;
        continue;
      } catch (StackOverflowError e) {
        // The readers bound nesting (HistoryReader.MAX_DEPTH); should some path still recurse too
        // deep, the file is bad input, not a verdict.
        stderr.println("faultline: " + file + ": nested too deep to read (ran out of stack); check that"
            + " it is a history");
        malformed = true;
        continue;
      } catch (HistoryTooLargeException e) {
        // Nothing is known to be wrong with the history: it is more than the budget can check.
        result = unknown("history too large for the memory budget of " + (context.memoryBudgetBytes() >> 20)
            + " MiB: more than " + e.limitChars() + " characters by line " + e.line() + "; raise --memory");
      } catch (OutOfMemoryError e) {
        result = unknown(outOfMemory(false, context));
      }
      if (history != null) {
        for (String warning : history.warnings()) stderr.println("faultline: warning: " + warning);
      }
      Semantics semantics = semantics(fileFormat != null ? fileFormat.defaultSemantics() : Semantics.FAULTLINE);
      if (result == null && txnChecker != null) {
        start = System.nanoTime();
        try {
          result = txnChecker.check(context, history);
        } catch (HistoryException e) {
          stderr.println("faultline: " + e.getMessage());
          malformed = true;
          continue;
        } catch (StackOverflowError e) {
          result = unknown("the checker ran out of stack; give it a larger one (java -Xss64m)");
        } catch (OutOfMemoryError e) {
          result = unknown(outOfMemory(true, context));
        }
      }
      if (result == null) {
        Model m = Models.create(model, initial, semantics);
        try {
          knowsEveryFunction(m, history, semantics);
        } catch (HistoryException e) {
          stderr.println("faultline: " + e.getMessage());
          malformed = true;
          continue;
        }
        start = System.nanoTime();
        try {
          // An empty history is trivially linearizable, and "valid" would say a test passed that
          // recorded nothing: an empty file, a wrong path to /dev/null, a run that never started.
          if (history.operations().isEmpty()) {
            result = unknown("nothing to check: no operations (no invocation by a client process in "
                + history.size() + " record" + (history.size() == 1 ? "" : "s") + ")");
          } else {
            result = checkerFor(m, semantics, initial).check(context, history);
          }
        } catch (StackOverflowError e) {
          result = unknown("the checker ran out of stack; give it a larger one (java -Xss64m)");
        } catch (OutOfMemoryError e) {
          result = unknown(outOfMemory(true, context));
        }
      }
      history = null; // What the check held can go before the next file is read.
      long millis = (System.nanoTime() - start) / 1_000_000;
      switch (result.validity()) {
        case TRUE -> valid++;
        case FALSE -> invalid++;
        case UNKNOWN -> unknown++;
      }
      overall = overall.and(result.validity());
      Path page = null;
      if (out != null) page = writeOut(file, fileFormat, semantics, result, millis, outNames);
      if (json) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("file", file.toString());
        line.put("format", fileFormat == null ? null : fileFormat.wireName());
        line.put("valid", result.validity().wireName());
        line.put("summary", result.summary());
        line.put("elapsed-ms", millis);
        if (page != null) line.put(isAnomaliesPage(page) ? "anomalies-page" : "counterexample", page.toString());
        line.put("result", result.toData());
        stdout.println(JSON_LINE.writeValueAsString(line));
      } else {
        stdout.printf(Locale.ROOT, "%-8s %s  %s  (%d ms)%s%n", result.validity().wireName(), file,
            result.summary(), millis, page == null ? "" : (isAnomaliesPage(page) ? "  anomalies: " : "  counterexample: ") + page);
      }
    }
    if (!json && files.size() > 1) {
      stdout.printf(Locale.ROOT, "%d files: %d valid, %d invalid, %d unknown%s%n", files.size(), valid, invalid,
          unknown, malformed ? ", some unreadable" : "");
    }
    stdout.flush();
    if (malformed) return ExitCodes.BAD_ARGUMENTS;
    return overall.exitCode();
  }

  private int recheck(Path dir, PrintWriter stdout, PrintWriter stderr) throws IOException {
    RunResult result;
    try {
      // A stored history is read as a file would be, for what the reader lets pass (a torn last
      // line of a run whose controller crashed) to be said, or under --strict refused.
      Path history = dir.resolve(Store.HISTORY);
      if (Files.isRegularFile(history)) {
        for (String w : HistoryReader.read(history, HistoryFormat.JSONL, Long.MAX_VALUE, strict).warnings()) {
          stderr.println("faultline: warning: " + w);
        }
      }
      result = Outcome.recheck(dir);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    } catch (HistoryException e) {
      throw new UsageException(e.getMessage());
    } catch (NoSuchFileException e) {
      throw new UsageException(e.getFile() + ": missing; the run was not stored whole");
    }
    stdout.println(result.line());
    stdout.flush();
    return result.exitCode();
  }

  /**
   * Refuses an operation whose function the model does not know. The model would find it illegal
   * wherever it went, and the verdict would be "not linearizable": a claim about the system made
   * from a mismatch between the history and the --model chosen.
   */
  private void knowsEveryFunction(Model m, History history, Semantics semantics) {
    Set<String> known = m.functions();
    for (Operation op : history.operations()) {
      String f = op.f();
      if (f != null && known.contains(f)) continue;
      Op at = op.invoke();
      String op0 = "operation at index " + at.index() + " (process " + op.process();
      String knows = "the " + model + " model knows " + String.join(", ", known);
      if (f == null) {
        throw new HistoryException(history.source(), at.line(), op0 + ") has no f (" + knows
            + "); expected an f on every client operation");
      }
      String other = null;
      for (String name : Models.NAMES) {
        if (Models.create(name, null, semantics).functions().contains(f)) {
          other = name;
          break;
        }
      }
      throw new HistoryException(history.source(), at.line(), op0 + ", f " + f + "): " + knows + ", not " + f
          + (other != null ? "; --model " + other + " knows " + f : "; check the history's f or the --model"));
    }
  }

  /** A verdict of unknown that no checker gave: the check could not be done, for the reason given. */
  private static Result unknown(String reason) {
    return Result.of("linearizable", Validity.UNKNOWN, reason, Map.of("reason", reason));
  }

  /**
   * Why the heap ran out, and what to do. The heap is not the memory budget: the budget bounds the
   * text read and the search, and a search given a budget the heap cannot hold stops sooner with a
   * smaller one.
   */
  private static String outOfMemory(boolean checking, CheckContext context) {
    return "ran out of memory " + (checking ? "checking" : "reading the history") + " (heap "
        + (Runtime.getRuntime().maxMemory() >> 20) + " MiB, memory budget " + (context.memoryBudgetBytes() >> 20)
        + " MiB); give Java more heap (java -Xmx, or JAVA_OPTS for ./faultline)"
        + (checking ? " or a smaller --memory" : "");
  }

  private Checker checkerFor(Model m, Semantics semantics, Object initial) {
    if (checker.equals("knossos")) return KnossosBridge.checker(model, initial, knossosJar);
    LinearizabilityChecker linear = new LinearizabilityChecker(m, semantics);
    return sequential ? linear.withConsistency(io.faultline.checkers.linear.Consistency.SEQUENTIAL) : linear;
  }

  private Semantics semantics(Semantics byFormat) {
    Semantics s = byFormat;
    if (nilRead != null) {
      s = s.withNilRead(switch (nilRead) {
        case "wildcard" -> Semantics.NilRead.WILDCARD;
        case "absent" -> Semantics.NilRead.ABSENT;
        default -> throw new UsageException("--nil-read takes wildcard or absent, not '" + nilRead + "'");
      });
    }
    if (failedOp != null) {
      s = s.withFailedOp(switch (failedOp) {
        case "did-not-happen" -> Semantics.FailedOp.DID_NOT_HAPPEN;
        case "observed" -> Semantics.FailedOp.OBSERVED;
        default -> throw new UsageException("--failed-op takes did-not-happen or observed, not '" + failedOp + "'");
      });
    }
    return s;
  }

  private Path writeOut(Path file, HistoryFormat fileFormat, Semantics semantics, Result result, long millis,
      Set<String> used) throws IOException {
    String stem = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
    String name = stem;
    for (int i = 2; !used.add(name); i++) name = stem + "-" + i;
    Path dir = out.resolve(name);
    Files.createDirectories(dir);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("file", file.toAbsolutePath().toString());
    doc.put("format", fileFormat == null ? null : fileFormat.wireName());
    doc.put("model", model);
    doc.put("init", init);
    doc.put("nil-read", semantics.nilRead().name().toLowerCase(Locale.ROOT));
    doc.put("failed-op", semantics.failedOp().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    doc.put("elapsed-ms", millis);
    doc.put("result", result.toData());
    Path page = null;
    if (consistency != null) doc.put("consistency", consistency);
    if (anomalies != null) doc.put("anomalies", anomalies);
    if (result.validity() == Validity.FALSE && result.evidence() instanceof Analysis analysis) {
      page = dir.resolve("counterexample.html");
      CounterexamplePage.write(analysis, file.getFileName().toString(), page);
      doc.put("counterexample", page.getFileName().toString());
    }
    // A transactional history's anomalies, each cycle drawn with its transactions' micro-ops.
    Path anomaliesPage = dir.resolve(ANOMALIES_PAGE);
    Files.deleteIfExists(anomaliesPage);
    if (result.validity() != Validity.TRUE
        && IsolationAnomalies.write(result.toData(), file.getFileName().toString(), anomaliesPage)) {
      page = anomaliesPage;
      doc.put("anomalies-page", ANOMALIES_PAGE);
    }
    JSON.writeValue(dir.resolve("results.json").toFile(), doc);
    return page;
  }

  private static final String ANOMALIES_PAGE = "anomalies.html";

  private static boolean isAnomaliesPage(Path page) {
    return page.getFileName().toString().equals(ANOMALIES_PAGE);
  }

  private interface Parse<T> {
    T get();
  }

  private static <T> T parse(Parse<T> p) {
    try {
      return p.get();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** Model names for the usage text. */
  static final class ModelNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return all().iterator();
    }

    static List<String> all() {
      List<String> names = new java.util.ArrayList<>(Models.NAMES);
      for (TxnChecker.Workload w : TxnChecker.Workload.values()) names.add(w.wireName());
      return names;
    }
  }
}
