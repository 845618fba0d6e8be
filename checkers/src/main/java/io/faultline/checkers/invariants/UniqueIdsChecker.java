package io.faultline.checkers.invariants;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Checker;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Operation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that an id generator never hands out the same id twice, as Jepsen's {@code unique-ids}.
 * Operations are {@code generate}, whose {@code ok} value is the id. Only acknowledged ids count: an
 * {@code info} generate may have consumed an id, but nobody received it, so it cannot be duplicated.
 *
 * <p>Details: {@code attempted-count}, {@code acknowledged-count}, {@code duplicated-count}, the
 * most duplicated ids with their counts ({@code duplicated}, at most 32) and {@code range}, the
 * lowest and highest id, when the ids have a natural order.
 */
public final class UniqueIdsChecker implements Checker {
  static final String NAME = "unique-ids";

  public UniqueIdsChecker() {}

  @Override
  public Result check(CheckContext context, History history) {
    long attempted = 0;
    long acknowledged = 0;
    Map<Object, Long> counts = new HashMap<>();
    Malformed malformed = new Malformed();
    for (Operation op : history.operations()) {
      if (!Data.is(op.invoke(), "generate")) continue;
      attempted++;
      if (op.outcome() != Operation.Outcome.OK) continue;
      Object id = op.output();
      if (id == null) {
        malformed.add(op.completion().index(), "generate completed ok without an id");
        continue;
      }
      acknowledged++;
      counts.merge(Data.canonical(id), 1L, Long::sum);
    }

    List<Map.Entry<Object, Long>> duplicated = new ArrayList<>();
    for (Map.Entry<Object, Long> e : counts.entrySet()) {
      if (e.getValue() > 1) duplicated.add(e);
    }
    duplicated.sort(Map.Entry.<Object, Long>comparingByValue().reversed()
        .thenComparing(Map.Entry::getKey, Data.ORDER));
    List<Map<String, Object>> shown = new ArrayList<>();
    for (Map.Entry<Object, Long> e : duplicated.subList(0, Math.min(Data.CAP, duplicated.size()))) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", Data.plain(e.getKey()));
      m.put("count", e.getValue());
      shown.add(m);
    }

    Map<String, Object> details = new LinkedHashMap<>();
    details.put("attempted-count", attempted);
    details.put("acknowledged-count", acknowledged);
    details.put("duplicated-count", (long) duplicated.size());
    details.put("duplicated", shown);
    if (!counts.isEmpty() && Data.naturallyOrdered(counts.keySet())) {
      Object min = Collections.min(counts.keySet(), Data.ORDER);
      Object max = Collections.max(counts.keySet(), Data.ORDER);
      details.put("range", List.of(Data.plain(min), Data.plain(max)));
    }
    malformed.report(details);

    Validity validity;
    String summary;
    if (!duplicated.isEmpty()) {
      validity = Validity.FALSE;
      summary = duplicated.size() + " duplicated " + (duplicated.size() == 1 ? "id" : "ids") + " among "
          + acknowledged + " acknowledged";
    } else if (!malformed.isEmpty()) {
      validity = Validity.UNKNOWN;
      summary = malformed.count() + " malformed, " + acknowledged + " acknowledged ids distinct";
    } else {
      validity = Validity.TRUE;
      summary = acknowledged == 0 ? "no ids acknowledged"
          : "all " + acknowledged + " acknowledged ids distinct";
    }
    return Result.of(NAME, validity, summary, details);
  }
}
