package io.faultline.harness.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code faultline} command. */
@Command(
    name = "faultline",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Jepsen-style correctness and chaos testing for the JVM.")
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command: test, repro, check, sim, shrink, bench, serve (see --help)");
  }

  public static void main(String[] args) {
    // The simulator runs node code in this JVM: its invariant assertions (and every assertion of
    // ours) must be on, whatever the java command line said. Set before any node class is loaded,
    // as a class's assertion status is fixed when it is initialized.
    Main.class.getClassLoader().setPackageAssertionStatus("io.faultline", true);
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    // After a signal the JVM is already exiting, and System.exit would wait for it forever.
    if (!Shutdown.inProgress()) System.exit(code);
  }

  /** The commands, in the order help lists them. */
  private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("test", TestCommand::new);
    COMMANDS.put("repro", ReproCommand::new);
    COMMANDS.put("check", CheckCommand::new);
    COMMANDS.put("sim", SimCommand::new);
    COMMANDS.put("shrink", ShrinkCommand::new);
    COMMANDS.put("bench", BenchCommand::new);
    COMMANDS.put("serve", ServeCommand::new);
    COMMANDS.put("compare", CompareCommand::new);
    COMMANDS.put("help", CommandLine.HelpCommand::new);
  }

  /** Runs the command line and returns the exit code, printing to the given streams. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    // picocli reads every command's options by reflection when it is added, a third of the start-up
    // of a small check; only the command named is needed, unless help is asked for.
    String named = args.length > 0 ? args[0] : "";
    boolean one = COMMANDS.containsKey(named) && !named.equals("help");
    for (Map.Entry<String, Supplier<Object>> c : COMMANDS.entrySet()) {
      if (!one || c.getKey().equals(named)) cli.addSubcommand(c.getKey(), c.getValue().get());
    }
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(t -> t instanceof UsageException ? ExitCodes.BAD_ARGUMENTS : ExitCodes.INTERNAL_ERROR);
    cli.setParameterExceptionHandler((ex, a) -> {
      err.println("faultline: " + ex.getMessage());
      return ExitCodes.BAD_ARGUMENTS;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof UsageException || ex instanceof io.faultline.harness.run.StoreException) {
        err.println("faultline: " + ex.getMessage());
        return ExitCodes.BAD_ARGUMENTS;
      }
      if (ex instanceof io.faultline.harness.runtime.EnvironmentException) {
        // The machine cannot run the test; the line says what to install or start. No stack trace.
        err.println("faultline: " + ex.getMessage());
        return ExitCodes.INTERNAL_ERROR;
      }
      err.println("faultline: internal error: " + ex);
      ex.printStackTrace(err);
      return ExitCodes.INTERNAL_ERROR;
    });
    try {
      return cli.execute(args);
    } catch (Error e) {
      // picocli hands on Errors (StackOverflowError, OutOfMemoryError, a failed assertion), and one
      // that escapes main exits 1, which means "invalid": never a verdict, always an internal error.
      err.println("faultline: internal error: " + e + "; please report it with the command line");
      return ExitCodes.INTERNAL_ERROR;
    }
  }

  /** The version from the jar's manifest, when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"faultline " + (v == null ? "development build" : v)};
    }
  }
}
