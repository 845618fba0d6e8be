package io.faultline.harness.sim;

import io.faultline.targets.node.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A virtual disk: the records and how many of them are synced. It outlives node incarnations; a
 * crash keeps every synced record and a random prefix of the rest, the worst the contract allows.
 * Records are copied in and out, so a node cannot change what is "on disk" by mutating an array.
 */
final class SimStorage implements Storage {
  private final List<byte[]> records = new ArrayList<>();
  private int synced;
  private long appends;
  private long syncs;

  @Override
  public void append(byte[] record) {
    records.add(record.clone());
    appends++;
  }

  @Override
  public void sync() {
    synced = records.size();
    syncs++;
  }

  @Override
  public List<byte[]> readAll() {
    List<byte[]> copy = new ArrayList<>(records.size());
    for (byte[] r : records) copy.add(r.clone());
    return copy;
  }

  @Override
  public void rewrite(List<byte[]> newRecords) {
    records.clear();
    for (byte[] r : newRecords) records.add(r.clone());
    synced = records.size();
    syncs++;
  }

  /**
   * What a crash leaves: the synced records and a prefix, chosen with {@code random}, of the
   * unsynced ones.
   *
   * @return how many unsynced records were lost
   */
  int crash(Random random) {
    int unsynced = records.size() - synced;
    int kept = unsynced == 0 ? 0 : random.nextInt(unsynced + 1);
    int lost = unsynced - kept;
    for (int i = 0; i < lost; i++) records.remove(records.size() - 1);
    synced = records.size();
    return lost;
  }

  int size() {
    return records.size();
  }

  int synced() {
    return synced;
  }

  long appends() {
    return appends;
  }

  long syncs() {
    return syncs;
  }
}
