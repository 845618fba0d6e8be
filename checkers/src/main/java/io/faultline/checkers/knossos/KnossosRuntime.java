package io.faultline.checkers.knossos;

import clojure.lang.IFn;
import clojure.lang.IPersistentMap;
import clojure.lang.ISeq;
import clojure.lang.Namespace;
import clojure.lang.RT;
import clojure.lang.Symbol;
import clojure.lang.Var;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarFile;

/**
 * Finds Knossos and loads its namespaces into the Clojure runtime Faultline already carries.
 *
 * <p>Clojure's namespaces are global to its runtime, so Knossos is loaded once per JVM: the first
 * checker to need it loads it from its jar, and later checkers use that same code whatever jar they
 * name. The jar's class loader delegates to the one that holds Clojure first, so that Knossos runs
 * on Faultline's Clojure rather than on a second copy from an uberjar, which would not share
 * keywords or data types with the history we build.
 */
final class KnossosRuntime {
  private KnossosRuntime() {}

  static final String COMPETITION = "knossos.competition";
  static final String MODEL = "knossos.model";

  private static final String HOW =
      "build one with 'lein uberjar' in a checkout of https://github.com/jepsen-io/knossos,"
          + " or put knossos-<version>.jar from Clojars and its dependencies on the classpath";

  static final String NOT_ON_CLASSPATH =
      "Knossos is not on the classpath; pass --knossos-jar PATH to a Knossos uberjar (" + HOW + ")";

  /** Guards loading: Clojure's require is not safe to run for the same namespace on two threads. */
  private static final Object LOAD_LOCK = new Object();

  private static final Map<Path, ClassLoader> LOADERS = new HashMap<>();

  /** Where Knossos was loaded from, once it has been; for details. */
  private static volatile String loadedFrom;

  /**
   * The class loader to load Knossos through, after checking that it holds knossos.competition.
   *
   * @param jar a Knossos jar, or null to look on the classpath
   * @throws KnossosUnavailableException with a one-line message saying how to get a jar
   */
  static ClassLoader locate(Path jar) {
    ClassLoader clojure = RT.class.getClassLoader();
    if (jar == null) {
      if (hasCompetition(clojure) || hasCompetition(KnossosRuntime.class.getClassLoader())) return clojure;
      throw new KnossosUnavailableException(NOT_ON_CLASSPATH);
    }
    Path abs = jar.toAbsolutePath().normalize();
    if (!Files.exists(abs)) {
      throw new KnossosUnavailableException("Knossos jar not found: " + abs + "; " + HOW);
    }
    if (!Files.isRegularFile(abs)) {
      throw new KnossosUnavailableException("Knossos jar is not a file: " + abs + "; " + HOW);
    }
    try (JarFile jf = new JarFile(abs.toFile())) {
      if (jf.getEntry("knossos/competition.clj") == null
          && jf.getEntry("knossos/competition__init.class") == null) {
        throw new KnossosUnavailableException("Knossos jar " + abs
            + " does not contain knossos.competition (knossos/competition.clj); is it a Knossos jar? " + HOW);
      }
    } catch (IOException e) {
      throw new KnossosUnavailableException("Knossos jar is not a jar: " + abs + " (" + oneLine(e) + "); " + HOW, e);
    }
    synchronized (LOADERS) {
      return LOADERS.computeIfAbsent(abs, p -> {
        try {
          return new URLClassLoader(new URL[] {p.toUri().toURL()}, clojure);
        } catch (MalformedURLException e) {
          throw new KnossosUnavailableException("Knossos jar path is not usable: " + p + " (" + oneLine(e) + ")", e);
        }
      });
    }
  }

  private static boolean hasCompetition(ClassLoader cl) {
    return cl != null && (cl.getResource("knossos/competition.clj") != null
        || cl.getResource("knossos/competition__init.class") != null);
  }

  /**
   * Requires Knossos's namespaces through the given loader, unless they are already loaded. Clojure
   * reads the thread's context class loader when it is not bound to another one, so the loader is
   * installed on the calling thread for the duration.
   *
   * @param source the jar, or null for the classpath; named in messages
   * @throws KnossosUnavailableException when a namespace fails to load, with the first cause
   */
  static void load(ClassLoader loader, Path source) {
    synchronized (LOAD_LOCK) {
      if (find(COMPETITION, "analysis") != null) return;
      require(loader, source, MODEL, COMPETITION);
      loadedFrom = source == null ? "classpath" : source.toAbsolutePath().normalize().toString();
    }
  }

  /** Requires namespaces through a loader; separate from {@link #load} so that a test can name its own. */
  static void require(ClassLoader loader, Path source, String... namespaces) {
    synchronized (LOAD_LOCK) {
      Thread t = Thread.currentThread();
      ClassLoader previous = t.getContextClassLoader();
      t.setContextClassLoader(loader);
      try {
        IFn require = RT.var("clojure.core", "require");
        for (String ns : namespaces) require.invoke(Symbol.intern(ns));
      } catch (RuntimeException | LinkageError e) {
        throw new KnossosUnavailableException("Knossos could not be loaded from "
            + (source == null ? "the classpath" : source.toAbsolutePath().normalize())
            + ": " + oneLine(rootCause(e)) + "; a plain jar from Clojars lacks Knossos's dependencies, so use an uberjar ("
            + HOW + ")", e);
      } finally {
        t.setContextClassLoader(previous);
      }
    }
  }

  static String loadedFrom() {
    return loadedFrom;
  }

  /** A public var of a loaded namespace, or null. */
  static Var find(String ns, String name) {
    // Var.find throws for a namespace that does not exist, rather than answering null.
    if (Namespace.find(Symbol.intern(ns)) == null) return null;
    return Var.find(Symbol.intern(ns, name));
  }

  /** Whether a function var declares an arity taking exactly {@code n} arguments. */
  static boolean hasArity(Var v, int n) {
    Object meta = v.meta();
    Object arglists = meta instanceof IPersistentMap m ? m.valAt(ClojureData.kw("arglists")) : null;
    for (ISeq s = RT.seq(arglists); s != null; s = s.next()) {
      Object args = s.first();
      if (RT.count(args) == n && !RT.printString(args).contains("&")) return true;
    }
    return false;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) c = c.getCause();
    return c;
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage();
    String s = e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    return s.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
