package io.faultline.harness.cli;

import io.faultline.harness.run.StoredRun;
import io.faultline.results.Html;
import io.faultline.results.report.CapTable;
import io.faultline.results.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code faultline compare RUN...}: the CAP/BASE table of several stored runs, side by side. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
        "Draw the CAP/BASE table of stored runs side by side: availability on each side of partitions, kills and"
            + " pauses against the run's own baseline, whether the history was linearizable, sequentially consistent"
            + " and kept each session guarantee, how long the replicas took to converge, how many acknowledged writes"
            + " were lost. Run the same seed and schedule on several targets or settings first, for example"
            + " --target raft, and --target gossip with --set clock=wall and clock=hlc, all --workload lww-register.",
        "Exit codes: 0 drawn, 254 a folder that is not a stored run or has no table (runs before this version)."})
final class CompareCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "RUN", description = "Stored runs, such as store/latest or store/gossip-lww-register/seed-3.")
  List<Path> runs;

  @Option(names = "--html", paramLabel = "FILE", description = "Also write the table as a self-contained HTML page.")
  Path html;

  @Override
  public Integer call() throws Exception {
    List<String> labels = new ArrayList<>();
    List<Map<?, ?>> rows = new ArrayList<>();
    for (Path run : runs) {
      StoredRun stored;
      try {
        stored = StoredRun.read(run);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      Path results = stored.dir().resolve(Store.RESULTS);
      Map<?, ?> doc;
      try {
        doc = JSON.readValue(results.toFile(), Map.class);
      } catch (IOException e) {
        throw new UsageException(results + " cannot be read (" + e.getMessage() + "); check the run again with faultline check " + run);
      }
      if (!(doc.get("cap-base") instanceof Map<?, ?> row)) {
        throw new UsageException(results + " has no cap-base table; check the run again with faultline check " + run
            + " to add it");
      }
      labels.add(stored.dir().getParent().getFileName() + "/" + stored.dir().getFileName());
      rows.add(row);
    }
    spec.commandLine().getOut().print(CapTable.text(labels, rows));
    spec.commandLine().getOut().flush();
    if (html != null) {
      String page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Faultline: CAP/BASE</title><style>"
          + "body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
          + "padding:4px 8px;text-align:left;vertical-align:top}th{background:#f4f4f4}</style></head><body>\n"
          + "<h1>CAP/BASE</h1>\n<p>" + Html.esc(String.join(" ", runs.stream().map(Path::toString).toList())) + "</p>\n"
          + CapTable.html(labels, rows) + "</body></html>\n";
      Files.writeString(html, page, StandardCharsets.UTF_8);
      spec.commandLine().getOut().println("written: " + html);
    }
    return ExitCodes.VALID;
  }
}
