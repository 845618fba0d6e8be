package io.faultline.results.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The checkers' verdicts as {@code results.json} holds them, one per checker: a composed checker
 * counts as its parts, since CI and people want to see which of them failed.
 */
final class Verdicts {
  private Verdicts() {}

  /**
   * @param workload the workload whose checker gave the verdict
   * @param checker the checker's name
   * @param valid true, false or unknown
   * @param anomaly what was found, in a few words; empty when valid
   */
  record Check(String workload, String checker, String valid, String summary, String anomaly) {}

  static List<Check> of(Map<String, Object> results) {
    List<Check> out = new ArrayList<>();
    if (results.get("checks") instanceof Map<?, ?> checks) {
      for (Map.Entry<?, ?> e : checks.entrySet()) {
        if (e.getValue() instanceof Map<?, ?> data) add(out, String.valueOf(e.getKey()), data);
      }
    }
    return out;
  }

  private static void add(List<Check> out, String workload, Map<?, ?> data) {
    if (data.get("parts") instanceof List<?> parts && !parts.isEmpty()) {
      for (Object p : parts) if (p instanceof Map<?, ?> part) add(out, workload, part);
      return;
    }
    String checker = String.valueOf(data.get("checker"));
    String valid = String.valueOf(data.get("valid"));
    String summary = data.get("summary") == null ? "" : String.valueOf(data.get("summary"));
    out.add(new Check(workload, checker, valid, summary, anomaly(checker, valid, summary)));
  }

  private static String anomaly(String checker, String valid, String summary) {
    if ("true".equals(valid)) return "";
    if ("unknown".equals(valid)) return "undecided";
    if (checker.equals("linearizable") || checker.equals("knossos")) return "non-linearizable history";
    // The invariant checkers' summaries are their anomaly counts, such as "lost 2, stale 1".
    return summary.isEmpty() ? checker + " invariant violated" : summary;
  }
}
