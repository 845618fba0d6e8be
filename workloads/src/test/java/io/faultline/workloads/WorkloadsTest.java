package io.faultline.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WorkloadsTest {

  @Test
  void eachNameGivesItsWorkload() {
    for (String name : Workloads.names()) assertEquals(name, Workloads.named(name).name());
  }

  @Test
  void anUnknownNameIsOneLineListingTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workloads.named("bank"));
    assertEquals("unknown workload 'bank'; expected one of: register, set", e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertThrows(IllegalArgumentException.class, () -> Workloads.named(null));
  }
}
