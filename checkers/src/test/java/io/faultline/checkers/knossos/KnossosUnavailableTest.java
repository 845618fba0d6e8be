package io.faultline.checkers.knossos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnossosUnavailableTest {
  @TempDir Path dir;

  @Test
  void withoutAJarAndNothingOnTheClasspathSaysHowToGetOne() {
    KnossosUnavailableException e = assertThrows(KnossosUnavailableException.class,
        () -> new KnossosChecker("cas-register", null, null));
    assertEquals("Knossos is not on the classpath; pass --knossos-jar PATH to a Knossos uberjar"
        + " (build one with 'lein uberjar' in a checkout of https://github.com/jepsen-io/knossos,"
        + " or put knossos-<version>.jar from Clojars and its dependencies on the classpath)", e.getMessage());
    assertOneLine(e);
    assertTrue(e instanceof IllegalArgumentException, "a CLI treats it as a bad argument");
    assertEquals(254, KnossosUnavailableException.EXIT_CODE);
  }

  @Test
  void aMissingPathIsNamed() {
    Path missing = dir.resolve("no-such-knossos.jar");
    KnossosUnavailableException e = assertThrows(KnossosUnavailableException.class,
        () -> new KnossosChecker("register", null, missing));
    assertTrue(e.getMessage().startsWith("Knossos jar not found: " + missing.toAbsolutePath() + "; build one with 'lein uberjar'"),
        e.getMessage());
    assertOneLine(e);
  }

  @Test
  void aDirectoryIsNotAJar() {
    KnossosUnavailableException e = assertThrows(KnossosUnavailableException.class,
        () -> new KnossosChecker("register", null, dir));
    assertTrue(e.getMessage().startsWith("Knossos jar is not a file: " + dir.toAbsolutePath()), e.getMessage());
  }

  @Test
  void aFileThatIsNotAZipIsNotAJar() throws Exception {
    Path notJar = Files.writeString(dir.resolve("knossos.jar"), "this is not a zip file\n");
    KnossosUnavailableException e = assertThrows(KnossosUnavailableException.class,
        () -> new KnossosChecker("register", null, notJar));
    assertTrue(e.getMessage().startsWith("Knossos jar is not a jar: " + notJar.toAbsolutePath() + " ("), e.getMessage());
    assertOneLine(e);
  }

  @Test
  void aJarWithoutKnossosIsRefused() {
    Path other = StandInKnossos.jar(dir.resolve("other.jar"), Map.of("other/core.clj", "(ns other.core)"));
    KnossosUnavailableException e = assertThrows(KnossosUnavailableException.class,
        () -> new KnossosChecker("register", null, other));
    assertTrue(e.getMessage().startsWith("Knossos jar " + other.toAbsolutePath()
        + " does not contain knossos.competition (knossos/competition.clj); is it a Knossos jar?"), e.getMessage());
  }

  @Test
  void aNamespaceWhoseDependenciesAreMissingFailsToLoadWithTheCause() throws Exception {
    // Mimics a plain Clojars jar: its namespace requires a library the jar does not carry. A test
    // namespace is used rather than knossos.competition, which another test may already have loaded.
    Path thin = StandInKnossos.jar(dir.resolve("thin.jar"), Map.of("faultline_test/thin_knossos.clj",
        "(ns faultline-test.thin-knossos (:require [potemkin.not-here :as p]))"));
    ClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {thin.toUri().toURL()},
        clojure.lang.RT.class.getClassLoader());
    KnossosUnavailableException e = assertThrows(KnossosUnavailableException.class,
        () -> KnossosRuntime.require(loader, thin, "faultline-test.thin-knossos"));
    assertTrue(e.getMessage().startsWith("Knossos could not be loaded from " + thin.toAbsolutePath() + ": "),
        e.getMessage());
    assertTrue(e.getMessage().contains("potemkin/not_here"), e.getMessage());
    assertTrue(e.getMessage().contains("use an uberjar"), e.getMessage());
    assertOneLine(e);
  }

  @Test
  void anUnknownModelIsAPlainArgumentError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new KnossosChecker("kv", null, null));
    assertFalse(e instanceof KnossosUnavailableException);
    assertEquals("Knossos has no model 'kv'; expected one of register, cas-register, mutex, multi-register,"
        + " set, unordered-queue, fifo-queue", e.getMessage());
  }

  private static void assertOneLine(Exception e) {
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }
}
