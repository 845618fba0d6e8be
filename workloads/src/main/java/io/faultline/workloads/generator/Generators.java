package io.faultline.workloads.generator;

import io.faultline.checkers.history.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;

/**
 * The generator combinators. Each returns an immutable value; the state a combinator keeps (ops
 * left, a deadline, the time of the next staggered op, the phase it is in) is a field of that value
 * and is carried forward in the {@link Next} it answers with.
 */
public final class Generators {
  private Generators() {}

  /**
   * Forever: whenever a process is free, one operation drawn by {@code source} (with the context's
   * random source), on a free process chosen at random, invoked at once.
   */
  public static Generator repeat(Function<Random, Template> source) {
    return new Repeat(Objects.requireNonNull(source, "source"));
  }

  /** The templates in order, each on a free process as soon as there is one; then exhausted. */
  public static Generator each(List<Template> templates) {
    return new Each(List.copyOf(templates), 0);
  }

  /** One operation, then exhausted. */
  public static Generator once(Template template) {
    return each(List.of(template));
  }

  /**
   * Each time, a generator chosen uniformly at random among those not yet exhausted answers (its
   * wait, too, is the mixture's answer). Exhausted when all of them are.
   */
  public static Generator mix(List<Generator> generators) {
    if (generators.isEmpty()) throw new IllegalArgumentException("mix needs at least one generator");
    return new Mix(List.copyOf(generators));
  }

  /**
   * Spreads the operations out in time: the gap between one operation and the next is uniform in
   * [0, 2 × mean), so the mean rate over all processes is one per {@code mean}. A gap is counted
   * from the previous operation's time, so a slow system never leads to a burst that catches up.
   */
  public static Generator stagger(Duration mean, Generator generator) {
    long nanos = mean.toNanos();
    if (nanos <= 0) throw new IllegalArgumentException("stagger needs a positive mean, got " + mean);
    return new Stagger(nanos, Objects.requireNonNull(generator), -1);
  }

  /** At most {@code n} operations of {@code generator}. */
  public static Generator limit(long n, Generator generator) {
    if (n < 0) throw new IllegalArgumentException("limit needs n >= 0, got " + n);
    return new Limit(n, Objects.requireNonNull(generator));
  }

  /**
   * The operations of {@code generator} that start within {@code limit} of the first time this
   * generator is asked; exhausted after that.
   */
  public static Generator timeLimit(Duration limit, Generator generator) {
    if (limit.isNegative()) throw new IllegalArgumentException("time limit must not be negative: " + limit);
    return new TimeLimit(limit.toNanos(), -1, Objects.requireNonNull(generator));
  }

  /** No operations for {@code duration} from the first time it is asked; then exhausted. */
  public static Generator sleep(Duration duration) {
    if (duration.isNegative()) throw new IllegalArgumentException("sleep must not be negative: " + duration);
    return new Sleep(duration.toNanos(), -1);
  }

  /**
   * One generator after another; between two, every operation of the earlier one completes first
   * (all processes free), so that a phase such as the final reads sees a quiet system.
   */
  public static Generator phases(List<Generator> generators) {
    return new Phases(List.copyOf(generators), false);
  }

  public static Generator phases(Generator... generators) {
    return phases(List.of(generators));
  }

  /**
   * Spreads operations over independent keys: each key has its own generator, made by {@code
   * perKey}, and each time a key chosen uniformly at random among those not exhausted answers, its
   * invocation stamped with the key. A per-key limit therefore bounds each key's history, which is
   * what keeps a per-key linearizability check small.
   */
  public static Generator independent(List<?> keys, Function<Object, Generator> perKey) {
    if (keys.isEmpty()) throw new IllegalArgumentException("independent needs at least one key");
    List<Object> ks = List.copyOf(keys);
    List<Generator> gens = new ArrayList<>(ks.size());
    for (Object k : ks) gens.add(Objects.requireNonNull(perKey.apply(k), "generator for key " + k));
    return new Independent(ks, List.copyOf(gens));
  }

  private record Repeat(Function<Random, Template> source) implements Generator {
    @Override
    public Next next(Context ctx) {
      Long process = ctx.someFreeProcess();
      if (process == null) return new Next.Pending(Next.WHEN_FREE, this);
      Template t = source.apply(ctx.random());
      return new Next.Invoke(t.invocation(process, ctx.timeNanos()), this);
    }
  }

  private record Each(List<Template> templates, int at) implements Generator {
    @Override
    public Next next(Context ctx) {
      if (at >= templates.size()) return Next.EXHAUSTED;
      Long process = ctx.someFreeProcess();
      if (process == null) return new Next.Pending(Next.WHEN_FREE, this);
      return new Next.Invoke(templates.get(at).invocation(process, ctx.timeNanos()), new Each(templates, at + 1));
    }
  }

  private record Mix(List<Generator> generators) implements Generator {
    @Override
    public Next next(Context ctx) {
      List<Generator> gens = generators;
      while (!gens.isEmpty()) {
        int i = ctx.random().nextInt(gens.size());
        Next n = gens.get(i).next(ctx);
        if (n instanceof Next.Invoke inv) return new Next.Invoke(inv.op(), new Mix(replaced(gens, i, inv.rest())));
        if (n instanceof Next.Pending p) return new Next.Pending(p.untilNanos(), new Mix(replaced(gens, i, p.rest())));
        gens = removed(gens, i);
      }
      return Next.EXHAUSTED;
    }
  }

  private record Stagger(long meanNanos, Generator inner, long nextNanos) implements Generator {
    @Override
    public Next next(Context ctx) {
      Next n = inner.next(ctx);
      if (n instanceof Next.Invoke inv) {
        long at = Math.max(inv.op().time(), nextNanos < 0 ? ctx.timeNanos() : nextNanos);
        long gap = (long) (ctx.random().nextDouble() * 2 * meanNanos);
        return new Next.Invoke(retimed(inv.op(), at), new Stagger(meanNanos, inv.rest(), at + gap));
      }
      if (n instanceof Next.Pending p) return new Next.Pending(p.untilNanos(), new Stagger(meanNanos, p.rest(), nextNanos));
      return n;
    }
  }

  private record Limit(long remaining, Generator inner) implements Generator {
    @Override
    public Next next(Context ctx) {
      if (remaining <= 0) return Next.EXHAUSTED;
      Next n = inner.next(ctx);
      if (n instanceof Next.Invoke inv) return new Next.Invoke(inv.op(), new Limit(remaining - 1, inv.rest()));
      if (n instanceof Next.Pending p) return new Next.Pending(p.untilNanos(), new Limit(remaining, p.rest()));
      return n;
    }
  }

  private record TimeLimit(long limitNanos, long deadline, Generator inner) implements Generator {
    @Override
    public Next next(Context ctx) {
      long end = deadline >= 0 ? deadline : saturatedAdd(ctx.timeNanos(), limitNanos);
      if (ctx.timeNanos() >= end) return Next.EXHAUSTED;
      Next n = inner.next(ctx);
      if (n instanceof Next.Invoke inv) {
        if (inv.op().time() >= end) return Next.EXHAUSTED;
        return new Next.Invoke(inv.op(), new TimeLimit(limitNanos, end, inv.rest()));
      }
      if (n instanceof Next.Pending p) {
        return new Next.Pending(Math.min(p.untilNanos(), end), new TimeLimit(limitNanos, end, p.rest()));
      }
      return n;
    }
  }

  private record Sleep(long nanos, long until) implements Generator {
    @Override
    public Next next(Context ctx) {
      long end = until >= 0 ? until : saturatedAdd(ctx.timeNanos(), nanos);
      if (ctx.timeNanos() >= end) return Next.EXHAUSTED;
      return new Next.Pending(end, new Sleep(nanos, end));
    }
  }

  /** {@code draining}: the first generator is exhausted and its operations are still completing. */
  private record Phases(List<Generator> remaining, boolean draining) implements Generator {
    @Override
    public Next next(Context ctx) {
      List<Generator> gens = remaining;
      boolean drain = draining;
      while (!gens.isEmpty()) {
        if (drain) {
          if (!ctx.allFree()) return new Next.Pending(Next.WHEN_FREE, new Phases(gens, true));
          gens = gens.subList(1, gens.size());
          drain = false;
          continue;
        }
        Next n = gens.get(0).next(ctx);
        if (n instanceof Next.Invoke inv) return new Next.Invoke(inv.op(), new Phases(replaced(gens, 0, inv.rest()), false));
        if (n instanceof Next.Pending p) return new Next.Pending(p.untilNanos(), new Phases(replaced(gens, 0, p.rest()), false));
        drain = true;
      }
      return Next.EXHAUSTED;
    }
  }

  private record Independent(List<Object> keys, List<Generator> generators) implements Generator {
    @Override
    public Next next(Context ctx) {
      List<Object> ks = keys;
      List<Generator> gens = generators;
      while (!gens.isEmpty()) {
        int i = ctx.random().nextInt(gens.size());
        Next n = gens.get(i).next(ctx);
        if (n instanceof Next.Invoke inv) {
          return new Next.Invoke(keyed(inv.op(), ks.get(i)), new Independent(ks, replaced(gens, i, inv.rest())));
        }
        if (n instanceof Next.Pending p) {
          return new Next.Pending(p.untilNanos(), new Independent(ks, replaced(gens, i, p.rest())));
        }
        ks = removed(ks, i);
        gens = removed(gens, i);
      }
      return Next.EXHAUSTED;
    }
  }

  private static <T> List<T> replaced(List<T> list, int i, T value) {
    List<T> copy = new ArrayList<>(list);
    copy.set(i, value);
    return List.copyOf(copy);
  }

  private static <T> List<T> removed(List<T> list, int i) {
    List<T> copy = new ArrayList<>(list);
    copy.remove(i);
    return List.copyOf(copy);
  }

  private static Op retimed(Op op, long time) {
    return new Op(op.index(), time, op.type(), op.process(), op.f(), op.key(), op.value(), op.error(), op.node(), op.line());
  }

  private static Op keyed(Op op, Object key) {
    return new Op(op.index(), op.time(), op.type(), op.process(), op.f(), key, op.value(), op.error(), op.node(), op.line());
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
