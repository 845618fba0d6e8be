package io.faultline.targets.raft;

import io.faultline.targets.node.Storage;
import java.util.ArrayList;
import java.util.List;

/**
 * Storage in memory that crashes like a disk: the synced records survive, and of those appended
 * since, only a prefix of the length the test chooses.
 */
final class MemStorage implements Storage {
  private final List<byte[]> records = new ArrayList<>();
  private int synced;
  private int syncs;
  private int rewrites;

  @Override
  public void append(byte[] record) {
    records.add(record.clone());
  }

  @Override
  public void sync() {
    synced = records.size();
    syncs++;
  }

  @Override
  public List<byte[]> readAll() {
    List<byte[]> copy = new ArrayList<>(records.size());
    for (byte[] r : records) {
      copy.add(r.clone());
    }
    return copy;
  }

  @Override
  public void rewrite(List<byte[]> replacement) {
    records.clear();
    for (byte[] r : replacement) {
      records.add(r.clone());
    }
    synced = records.size();
    rewrites++;
  }

  /** Loses all but {@code keepUnsynced} of the records appended since the last sync. */
  void crash(int keepUnsynced) {
    int keep = Math.min(records.size(), synced + Math.max(0, keepUnsynced));
    records.subList(keep, records.size()).clear();
    synced = records.size(); // what reached the disk is on it now
  }

  int unsynced() {
    return records.size() - synced;
  }

  int size() {
    return records.size();
  }

  int syncs() {
    return syncs;
  }

  int rewrites() {
    return rewrites;
  }
}
