package io.faultline.workloads.base;

import io.faultline.checkers.base.DataType;
import io.faultline.workloads.generator.Template;
import java.util.List;

/**
 * {@code lww-register}: writes of unique values and reads on four keys, half and half. A write that
 * an earlier-finished write overwrote in the converged state is lost, which is what
 * last-writer-wins on skewed wall clocks does.
 */
public final class LwwRegisterWorkload extends BaseWorkload {
  public LwwRegisterWorkload() {
    super("lww-register", List.of("k1", "k2", "k3", "k4"), DataType.REGISTER, 0.5);
  }

  @Override
  BaseOps.Update update() {
    return (key, fresh, random) -> new Template("write", key, fresh);
  }
}
