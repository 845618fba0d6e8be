package io.faultline.targets.sim;

import io.faultline.targets.node.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A disk in memory that crashes as the {@link Storage} contract allows a real one to: it keeps every
 * synced record and a prefix of the rest, chosen at random by the simulator ({@link #crash(Random)})
 * or by a unit test ({@link #crash(int)}). It outlives the node incarnations that use it. Records
 * are copied in and out, so a node cannot change what is "on disk" by mutating an array.
 */
public final class VirtualStorage implements Storage {
  private final List<byte[]> records = new ArrayList<>();
  private int synced;
  private long appends;
  private long syncs;
  private long rewrites;

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
    rewrites++;
  }

  /**
   * What a crash leaves: the synced records and a prefix, of a length drawn from {@code random}, of
   * the unsynced ones.
   *
   * @return how many unsynced records were lost
   */
  public int crash(Random random) {
    int unsynced = unsynced();
    return crash(unsynced == 0 ? 0 : random.nextInt(unsynced + 1));
  }

  /**
   * What a crash leaves when exactly {@code keepUnsynced} of the unsynced records reached the disk.
   *
   * @return how many unsynced records were lost
   */
  public int crash(int keepUnsynced) {
    int keep = Math.min(records.size(), synced + Math.max(0, keepUnsynced));
    int lost = records.size() - keep;
    records.subList(keep, records.size()).clear();
    synced = records.size();
    return lost;
  }

  /** Records on disk now, synced or not. */
  public int size() {
    return records.size();
  }

  public int synced() {
    return synced;
  }

  public int unsynced() {
    return records.size() - synced;
  }

  public long appends() {
    return appends;
  }

  public long syncs() {
    return syncs;
  }

  public long rewrites() {
    return rewrites;
  }
}
