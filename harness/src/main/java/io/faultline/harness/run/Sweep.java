package io.faultline.harness.run;

import io.faultline.results.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs one spec over a range of seeds on a deterministic runtime, several seeds at once, and hands
 * the results over in seed order. Each seed is its own run with its own cluster and loop, so
 * running seeds side by side changes nothing in any seed's history; only seeds that do not pass
 * are stored.
 */
public final class Sweep {
  private Sweep() {}

  /**
   * Runs seeds {@code from} to {@code to} (inclusive) of {@code base} on {@code threads} threads and
   * calls {@code inOrder} on the calling thread with each result, in seed order, as soon as it and
   * every earlier seed are done. At most a few results are held at once.
   *
   * @throws IllegalStateException wrapping an error a seed's run threw
   */
  public static void run(TestSpec base, long from, long to, int threads, Store store, List<String> commandLine,
      Consumer<RunResult> inOrder) {
    run(base, from, to, threads, store, commandLine, null, inOrder);
  }

  /** As above; with a {@code swarm} (null for none), each seed runs its own configuration, drawn by it. */
  public static void run(TestSpec base, long from, long to, int threads, Store store, List<String> commandLine,
      Swarm swarm, Consumer<RunResult> inOrder) {
    if (to < from) throw new IllegalArgumentException("empty seed range " + from + ".." + to);
    int checkThreads = threads <= 1 ? java.lang.Runtime.getRuntime().availableProcessors() : 1;
    if (threads <= 1) {
      for (long s = from; s <= to; s++) inOrder.accept(one(spec(base, s, swarm), store, commandLine, checkThreads));
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "faultline-seed");
      t.setDaemon(true);
      return t;
    });
    try {
      ArrayDeque<Future<RunResult>> window = new ArrayDeque<>();
      long next = from;
      int ahead = threads * 2;
      while (next <= to || !window.isEmpty()) {
        while (next <= to && window.size() < ahead) {
          long seed = next++;
          window.add(pool.submit(() -> one(spec(base, seed, swarm), store, commandLine, checkThreads)));
        }
        inOrder.accept(window.poll().get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during the sweep", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      if (e.getCause() instanceof Error err) throw err;
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static TestSpec spec(TestSpec base, long seed, Swarm swarm) {
    return swarm != null ? swarm.draw(base, seed) : base.withSeed(seed);
  }

  private static RunResult one(TestSpec spec, Store store, List<String> commandLine, int checkThreads) {
    try {
      return new Runner(spec, store, null, commandLine, Runner.Keep.UNLESS_VALID, checkThreads).run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
