package io.faultline.harness;

import io.faultline.harness.runtime.Runtime;
import io.faultline.harness.target.Target;
import io.faultline.workloads.Workload;

/** The three kinds a test names, each found the one way {@link Registry} finds things. */
public final class Registries {
  public static final Registry<Target> TARGETS = Registry.of(Target.class, Target::name, "--target");
  public static final Registry<Runtime> RUNTIMES = Registry.of(Runtime.class, Runtime::name, "--runtime");
  public static final Registry<Workload> WORKLOADS = Registry.of(Workload.class, Workload::name, "--workload");

  private Registries() {}
}
