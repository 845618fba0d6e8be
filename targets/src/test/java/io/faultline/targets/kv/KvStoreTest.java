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

  @Test
  void aTransactionAppliesAllItsMicroOpsInOrderOrNone() {
    KvStore kv = new KvStore(Map.of());
    Command.Txn t = KvRequests.txn(new Request("txn", "", List.of(
        java.util.Arrays.asList("append", 1L, 5L), java.util.Arrays.asList("r", 1L, null),
        java.util.Arrays.asList("w", "x", 3L), java.util.Arrays.asList("r", "x", null), List.of("r", 2L))));
    KvStore.TxnResult r = kv.transact(t, true);
    assertNull(r.refusal());
    assertEquals(List.of(List.of("append", "1", 5L), List.of("r", "1", List.of(5L)), List.of("w", "x", 3L),
        List.of("r", "x", 3L), java.util.Arrays.asList("r", "2", null)), r.ops(), "reads see the transaction's own writes");
    assertNull(kv.apply(KvRequests.txn(new Request("txn", "", List.of(List.of("append", 1L, 6L))))));
    assertEquals(List.of(5L, 6L), kv.get("1"));

    // A refused micro-op (an append to a register) leaves every other one undone.
    KvStore.TxnResult refused = kv.transact(new Command.Txn(List.of(new Command.Txn.Micro("append", "1", 7L),
        new Command.Txn.Micro("append", "x", 1L))), true);
    assertTrue(refused.refusal().contains("holds the number 3"));
    assertEquals(List.of(5L, 6L), kv.get("1"));

    // A read-only evaluation changes nothing; lists survive a state image.
    kv.transact(new Command.Txn(List.of(new Command.Txn.Micro("append", "1", 9L))), false);
    assertEquals(List.of(5L, 6L), kv.get("1"));
    KvStore copy = new KvStore(KvWire.decode(KvWire.encode(out -> KvWire.writeState(out, kv.image())), "state",
        KvWire::readState));
    assertEquals(kv.digest(), copy.digest());
    assertEquals(t, KvWire.decode(KvWire.encode(out -> KvWire.writeCommand(out, t)), "command", KvWire::readCommand));
    assertThrows(IllegalArgumentException.class, () -> KvRequests.txn(new Request("txn", "", List.of())));
    assertThrows(IllegalArgumentException.class, () -> KvRequests.txn(new Request("txn", "", List.of(List.of("x", 1L, 1L)))));
    assertTrue(kv.apply(new Command.Cas("1", 1, 2)).contains("holds a list"));
    assertTrue(kv.apply(new Command.Add("1", 1)).contains("holds a list"));
  }
}
