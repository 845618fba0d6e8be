package io.faultline.harness.sim;

import io.faultline.targets.node.NodeFactory;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a range of seeds, several at once, and hands the results over in seed order. Each seed is
 * its own simulation with its own protocol instance, so running seeds in parallel changes nothing
 * in any seed's history.
 */
public final class Sweep {
  private Sweep() {}

  /**
   * Runs seeds {@code from} to {@code to} (inclusive) of {@code base} on {@code threads} threads and
   * calls {@code inOrder} on the calling thread with each result, in seed order, as soon as it and
   * every earlier seed are done. At most a few results are held at once.
   *
   * @throws IllegalStateException wrapping an error a seed's simulation threw
   */
  public static void run(Supplier<NodeFactory> protocols, SimConfig base, long from, long to, int threads,
      Consumer<SimResult> inOrder) {
    if (to < from) throw new IllegalArgumentException("empty seed range " + from + ".." + to);
    if (threads <= 1) {
      for (long s = from; s <= to; s++) inOrder.accept(Simulation.run(protocols.get(), base.withSeed(s)));
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "faultline-sim");
      t.setDaemon(true);
      return t;
    });
    try {
      ArrayDeque<Future<SimResult>> window = new ArrayDeque<>();
      long next = from;
      int ahead = threads * 2;
      while (next <= to || !window.isEmpty()) {
        while (next <= to && window.size() < ahead) {
          long seed = next++;
          window.add(pool.submit(() -> Simulation.run(protocols.get(), base.withSeed(seed))));
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
}
