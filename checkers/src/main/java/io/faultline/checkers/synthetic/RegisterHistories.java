package io.faultline.checkers.synthetic;

import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Simulates clients against one correct register per key: read, write and compare-and-set (the
 * cas-register model), or get, put and append of unique strings (the kv model, as in Porcupine's kv
 * tests, where every read pins the order of the appends before it). Each operation takes effect at
 * one moment between its invocation and its completion, so the history is linearizable by
 * construction. A share of operations end in {@code info}: the client never learns the outcome; half
 * of those took effect.
 */
public final class RegisterHistories {
  private RegisterHistories() {}

  /**
   * What to generate.
   *
   * @param seed drives every choice
   * @param operations how many operations to invoke in all
   * @param clients how many clients run at once
   * @param keys how many independent keys (1 for a single register, with no key field)
   * @param infoRate share of operations that end in info, from 0 to 1
   * @param values writes and compare-and-sets draw values from 0 to values - 1 (register only)
   * @param workload which operations the clients run
   */
  public record Spec(long seed, int operations, int clients, int keys, double infoRate, int values, Workload workload) {
    public Spec {
      if (operations < 0 || clients < 1 || keys < 1 || values < 1 || infoRate < 0 || infoRate > 1 || workload == null) {
        throw new IllegalArgumentException("invalid spec " + this);
      }
    }

    /** A register workload. */
    public Spec(long seed, int operations, int clients, int keys, double infoRate, int values) {
      this(seed, operations, clients, keys, infoRate, values, Workload.REGISTER);
    }

    /** A kv append workload: get, put and append of unique strings. */
    public static Spec append(long seed, int operations, int clients, int keys, double infoRate) {
      return new Spec(seed, operations, clients, keys, infoRate, 1, Workload.APPEND);
    }
  }

  /** The operations clients run, and so the model that checks them. */
  public enum Workload {
    /** read, write and cas of small integers: the cas-register model. */
    REGISTER("cas-register"),
    /** get, put (rarely) and append of unique strings: the kv model. */
    APPEND("kv");

    private final String model;

    Workload(String model) {
      this.model = model;
    }

    /** The model's name, as given to {@code --model}. */
    public String model() {
      return model;
    }
  }

  private enum Phase { IDLE, CALLED, APPLIED }

  private static final class Client {
    long process;
    Phase phase = Phase.IDLE;
    String f;
    Object key;
    Object input;
    Object output;
    OpType outcome;
  }

  /** A linearizable history for the spec; records carry times in nanoseconds. */
  public static History generate(Spec spec) {
    Random random = new Random(spec.seed());
    List<Op> records = new ArrayList<>(spec.operations() * 2);
    Map<Object, Object> registers = new HashMap<>();
    Client[] clients = new Client[spec.clients()];
    for (int i = 0; i < clients.length; i++) {
      clients[i] = new Client();
      clients[i].process = i;
    }
    int invoked = 0;
    int open = 0;
    boolean append = spec.workload() == Workload.APPEND;
    long time = 0;
    while (invoked < spec.operations() || open > 0) {
      Client c = clients[random.nextInt(clients.length)];
      time += 1 + random.nextInt(1000);
      switch (c.phase) {
        case IDLE -> {
          if (invoked >= spec.operations()) continue;
          invoked++;
          open++;
          c.key = spec.keys() == 1 ? null : (long) random.nextInt(spec.keys());
          int which = random.nextInt(3);
          long v = random.nextInt(spec.values());
          if (append) {
            // Unique strings, so that the state says in which order the appends took effect.
            // The mix of Porcupine's kv histories: about 45% gets, 50% appends, 5% puts.
            int kind = random.nextInt(20);
            c.f = kind < 9 ? "get" : kind < 19 ? "append" : "put";
            c.input = c.f.equals("get") ? null : "p" + c.process + "." + invoked + " ";
          } else if (which == 0) {
            c.f = "read";
            c.input = null;
          } else if (which == 1) {
            c.f = "write";
            c.input = v;
          } else {
            c.f = "cas";
            c.input = List.of((long) random.nextInt(spec.values()), v);
          }
          c.phase = Phase.CALLED;
          c.outcome = random.nextDouble() < spec.infoRate() ? OpType.INFO : OpType.OK;
          records.add(record(records.size(), time, OpType.INVOKE, c, c.input));
        }
        case CALLED -> {
          // The linearization point. An info operation takes effect only half of the time.
          if (c.outcome == OpType.INFO && random.nextBoolean()) {
            c.phase = Phase.APPLIED;
            c.output = null;
            continue;
          }
          Object current = registers.get(c.key);
          if (append && current == null) current = "";
          switch (c.f) {
            case "read", "get" -> c.output = current;
            case "append" -> {
              registers.put(c.key, current + (String) c.input);
              c.output = c.input;
            }
            case "write", "put" -> {
              registers.put(c.key, c.input);
              c.output = c.input;
            }
            default -> {
              List<?> pair = (List<?>) c.input;
              if (Objects.equals(pair.get(0), current)) {
                registers.put(c.key, pair.get(1));
              } else if (c.outcome == OpType.OK) {
                c.outcome = OpType.FAIL;
              }
              c.output = c.input;
            }
          }
          c.phase = Phase.APPLIED;
        }
        case APPLIED -> {
          open--;
          Object value = c.outcome == OpType.INFO ? c.input : c.output;
          records.add(record(records.size(), time, c.outcome, c, value));
          if (c.outcome == OpType.INFO) c.process += clients.length;
          c.phase = Phase.IDLE;
        }
      }
    }
    return History.of("synthetic(seed=" + spec.seed() + ")", records);
  }

  private static Op record(int index, long time, OpType type, Client c, Object value) {
    return new Op(index, time, type, c.process, c.f, c.key, value, null, null, 0);
  }

  /**
   * The same history with one ok read changed to a value no write ever wrote, so it cannot be
   * linearizable. The read (a read or a get) is chosen by the seed among those that returned a
   * value.
   *
   * @throws IllegalArgumentException when the history has no ok read of a value
   */
  public static History corruptOneRead(History history, long seed) {
    List<Op> records = history.records();
    List<Integer> reads = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      Op op = records.get(i);
      boolean read = "read".equals(op.f()) || "get".equals(op.f());
      if (op.type() == OpType.OK && read && op.value() != null) reads.add(i);
    }
    if (reads.isEmpty()) throw new IllegalArgumentException("history has no ok read of a value");
    int victim = reads.get(new Random(seed).nextInt(reads.size()));
    List<Op> changed = new ArrayList<>(records);
    Op read = records.get(victim);
    changed.set(victim, read.withValue(read.value() instanceof String seen ? seen + "never appended " : -1L));
    return History.of(history.source() + " with the read at index " + victim + " corrupted", changed);
  }
}
