package io.faultline.checkers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A checker's answer: the verdict, one line for people, details as plain data (written to
 * results.json), the results of composed parts, and optional evidence for renderers (for example a
 * linearizability counterexample).
 */
public final class Result {
  private final String checker;
  private final Validity validity;
  private final String summary;
  private final Map<String, Object> details;
  private final List<Result> parts;
  private final Object evidence;

  public Result(String checker, Validity validity, String summary, Map<String, Object> details,
      List<Result> parts, Object evidence) {
    this.checker = Objects.requireNonNull(checker);
    this.validity = Objects.requireNonNull(validity);
    this.summary = summary == null ? "" : summary;
    this.details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    this.parts = parts == null ? List.of() : List.copyOf(parts);
    this.evidence = evidence;
  }

  public static Result of(String checker, Validity validity, String summary, Map<String, Object> details) {
    return new Result(checker, validity, summary, details, List.of(), null);
  }

  public String checker() {
    return checker;
  }

  public Validity validity() {
    return validity;
  }

  public boolean isValid() {
    return validity == Validity.TRUE;
  }

  public String summary() {
    return summary;
  }

  public Map<String, Object> details() {
    return details;
  }

  public List<Result> parts() {
    return parts;
  }

  /** Checker-specific evidence for renderers, or null. */
  public Object evidence() {
    return evidence;
  }

  /** This result and its parts as plain data, for results.json. */
  public Map<String, Object> toData() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("checker", checker);
    m.put("valid", validity.wireName());
    m.put("summary", summary);
    if (!details.isEmpty()) m.put("details", details);
    if (!parts.isEmpty()) m.put("parts", parts.stream().map(Result::toData).toList());
    return m;
  }

  @Override
  public String toString() {
    return checker + ": " + validity.wireName() + (summary.isEmpty() ? "" : " (" + summary + ")");
  }
}
