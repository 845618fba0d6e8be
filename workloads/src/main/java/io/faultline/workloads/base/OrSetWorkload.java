package io.faultline.workloads.base;

import io.faultline.checkers.base.DataType;
import io.faultline.workloads.generator.Template;
import java.util.List;

/**
 * {@code or-set}: adds of unique elements to four observed-remove sets and removes of elements
 * added a little earlier (one update in four: one of the eight elements added last, to any key), a
 * read in five. An element whose remove may have taken
 * effect is not counted lost.
 */
public final class OrSetWorkload extends BaseWorkload {
  public OrSetWorkload() {
    super("or-set", List.of("s1", "s2", "s3", "s4"), DataType.SET, 0.2);
  }

  @Override
  BaseOps.Update update() {
    return (key, fresh, random) -> fresh > 0 && random.nextInt(4) == 0
        ? new Template("remove", key, fresh - 1 - random.nextInt((int) Math.min(fresh, 8)))
        : new Template("add", key, fresh);
  }
}
