package io.faultline.workloads.base;

import io.faultline.checkers.base.DataType;
import io.faultline.workloads.generator.Template;
import java.util.List;

/** {@code g-set}: adds of unique elements to four grow-only sets, a read in five. */
public final class GSetWorkload extends BaseWorkload {
  public GSetWorkload() {
    super("g-set", List.of("s1", "s2", "s3", "s4"), DataType.SET, 0.2);
  }

  @Override
  BaseOps.Update update() {
    return (key, fresh, random) -> new Template("add", key, fresh);
  }
}
