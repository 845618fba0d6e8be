package io.faultline.checkers;

import io.faultline.checkers.history.History;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Composition of checkers. */
public final class Checkers {
  private Checkers() {}

  /**
   * Runs every named checker on the same history; the verdict is false over unknown over true. A
   * checker that throws yields unknown with the exception named, so one faulty checker never hides
   * the others' verdicts.
   */
  public static Checker compose(Map<String, Checker> checkers) {
    Map<String, Checker> ordered = new LinkedHashMap<>(checkers);
    return (context, history) -> {
      List<Result> parts = new ArrayList<>();
      Validity v = Validity.TRUE;
      for (Map.Entry<String, Checker> e : ordered.entrySet()) {
        Result r = runGuarded(e.getKey(), e.getValue(), context, history);
        parts.add(r);
        v = v.and(r.validity());
      }
      return new Result("compose", v, summarize(parts), null, parts, null);
    };
  }

  static Result runGuarded(String name, Checker checker, CheckContext context, History history) {
    try {
      Result r = checker.check(context, history);
      return r.checker().equals(name) ? r
          : new Result(name, r.validity(), r.summary(), r.details(), r.parts(), r.evidence());
    } catch (RuntimeException | StackOverflowError e) {
      return Result.of(name, Validity.UNKNOWN, "checker failed: " + e, Map.of("error", String.valueOf(e)));
    }
  }

  private static String summarize(List<Result> parts) {
    StringBuilder sb = new StringBuilder();
    for (Result r : parts) {
      if (sb.length() > 0) sb.append("; ");
      sb.append(r.checker()).append(' ').append(r.validity().wireName());
    }
    return sb.toString();
  }
}
