package io.faultline.targets.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.clientprotocol.Request;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KvStoreTest {
  @Test
  void aTransferMovesMoneyBetweenAccountsThatOpenWithABalance() {
    KvStore kv = new KvStore(Map.of());
    assertNull(kv.apply(new Command.Transfer("a", "b", 4, 10)));
    assertEquals(Map.of("a", 6L, "b", 14L, "c", 10L), kv.balances(List.of("a", "b", "c"), 10));
    assertTrue(kv.apply(new Command.Transfer("a", "b", 7, 10)).contains("insufficient funds"));
    assertEquals(6L, kv.get("a"), "a refused transfer changes nothing");
    assertTrue(kv.apply(new Command.Transfer("a", "a", 1, 10)).contains("same account"));
    assertTrue(kv.apply(new Command.Transfer("a", "b", -1, 10)).contains("negative"));
  }

  @Test
  void requestsBecomeTransfersAndReadsOfAccounts() {
    Command t = KvRequests.command(new Request("transfer", "bank", Map.of("from", "a", "to", "b", "amount", 2L, "opening", 10L)));
    assertEquals(new Command.Transfer("a", "b", 2, 10), t);
    assertThrows(IllegalArgumentException.class, () -> KvRequests.command(new Request("transfer", "bank", Map.of("from", "a"))));
    assertEquals(new Command.ReadAccounts(List.of("a", "b"), 10),
        KvRequests.read(new Request("read", "bank", Map.of("accounts", List.of("a", "b"), "opening", 10L))));
    assertEquals(new Command.Read("x"), KvRequests.read(Request.read("x")));
    assertThrows(IllegalArgumentException.class,
        () -> KvRequests.read(new Request("read", "bank", Map.of("accounts", List.of(1L)))));
  }
}
