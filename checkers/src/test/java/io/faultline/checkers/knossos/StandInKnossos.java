package io.faultline.checkers.knossos;

import clojure.lang.IDeref;
import clojure.lang.RT;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Packages the stand-in for Knossos (test resources under knossos-stub/, NOT the real Knossos: see
 * its README) into a jar, as a user would pass a Knossos uberjar. The real Knossos is on Clojars,
 * which this build cannot reach, so the stand-in proves the bridge's plumbing and nothing about
 * linearizability.
 */
final class StandInKnossos {
  private StandInKnossos() {}

  /** Writes the stand-in jar into a directory and returns its path. */
  static Path jar(Path dir) {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("knossos/model.clj", resource("knossos-stub/knossos/model.clj"));
    entries.put("knossos/competition.clj", resource("knossos-stub/knossos/competition.clj"));
    return jar(dir.resolve("knossos-stand-in.jar"), entries);
  }

  /** A jar with the given text entries. */
  static Path jar(Path file, Map<String, String> entries) {
    try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out)) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        jar.putNextEntry(new JarEntry(e.getKey()));
        jar.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        jar.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** What the stand-in's analysis was last called with: {:model m :history h :opts o}. */
  static Object lastCall() {
    return ((IDeref) RT.var("knossos.competition", "last-call").deref()).deref();
  }

  /** EDN read by Clojure, to state expected Clojure data briefly. */
  static Object edn(String text) {
    RT.var("clojure.core", "require").invoke(clojure.lang.Symbol.intern("clojure.edn"));
    return RT.var("clojure.edn", "read-string").invoke(text);
  }

  private static String resource(String name) {
    try (InputStream in = StandInKnossos.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing test resource " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
