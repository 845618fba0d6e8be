package io.faultline.workloads.base;

import io.faultline.checkers.history.Op;
import io.faultline.workloads.generator.Context;
import io.faultline.workloads.generator.Generator;
import io.faultline.workloads.generator.Generators;
import io.faultline.workloads.generator.Next;
import io.faultline.workloads.generator.Template;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What the BASE workloads share: updates with a fresh number each (so every written value and
 * every added element is unique, and a lost one is unambiguous), reads now and then, and the final
 * polls.
 */
final class BaseOps {
  /** How many rounds of final polls, and how far apart: the convergence bound is their product. */
  static final int POLL_ROUNDS = 50;
  static final Duration POLL_GAP = Duration.ofMillis(100);

  private BaseOps() {}

  /** Makes the update for a key from the next fresh number; the random draws anything else it needs. */
  interface Update {
    Template make(String key, long fresh, Random random);
  }

  /**
   * Updates and reads on keys drawn at random, {@code readShare} of them reads; {@code fresh} is
   * the next unique number, part of the generator's value so a seed replays it exactly, or {@link
   * #UNSTARTED}.
   */
  record Ops(List<String> keys, double readShare, Update update, long fresh) implements Generator {
    /** Not yet started: the first number is drawn from the time, see {@link #next}. */
    static final long UNSTARTED = -1;

    @Override
    public Next next(Context ctx) {
      if (fresh == UNSTARTED) {
        // A run starts this generator again for its recovery phase; numbers from the microsecond
        // it starts at stay clear of the earlier phase's, which count up from near zero by one per
        // operation, far slower than a microsecond each.
        return new Ops(keys, readShare, update, ctx.timeNanos() / 1_000).next(ctx);
      }
      Long process = ctx.someFreeProcess();
      if (process == null) return new Next.Pending(Next.WHEN_FREE, this);
      String key = keys.get(ctx.random().nextInt(keys.size()));
      if (ctx.random().nextDouble() < readShare) {
        return new Next.Invoke(new Template("read", key, null).invocation(process, ctx.timeNanos()), this);
      }
      Op op = update.make(key, fresh, ctx.random()).invocation(process, ctx.timeNanos());
      return new Next.Invoke(op, new Ops(keys, readShare, update, fresh + 1));
    }
  }

  /**
   * {@link #POLL_ROUNDS} rounds {@link #POLL_GAP} apart, each a read of every key from every node:
   * enough for the convergence check to see when the replicas came to agree, and whether they did.
   */
  static Generator polls(List<String> keys, List<String> nodes) {
    List<Template> round = new ArrayList<>();
    for (String key : keys) {
      if (nodes.isEmpty()) round.add(new Template("read", key, null));
      for (String node : nodes) round.add(new Template("read", key, null).withNode(node));
    }
    List<Generator> phases = new ArrayList<>();
    for (int i = 0; i < POLL_ROUNDS; i++) {
      if (i > 0) phases.add(Generators.sleep(POLL_GAP));
      phases.add(Generators.each(round));
    }
    return Generators.phases(phases);
  }
}
