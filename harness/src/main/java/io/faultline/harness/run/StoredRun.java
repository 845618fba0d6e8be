package io.faultline.harness.run;

import io.faultline.results.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A run read back from the store: its spec, seed included, as {@code test.json} holds it, for
 * {@code faultline repro} and {@code faultline check DIR}.
 *
 * @param dir the run's folder (a {@code latest} link is followed)
 * @param spec the whole test, seed included
 */
public record StoredRun(Path dir, TestSpec spec) {

  /**
   * @throws IllegalArgumentException with a one-line message when {@code dir} is not a stored run
   *     or its {@code test.json} cannot be read as one
   */
  public static StoredRun read(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + ": no such folder; name a run's folder such as store/latest");
    }
    if (!Store.isRun(dir)) {
      throw new IllegalArgumentException(dir + " is not a stored run: it has no " + Store.TEST);
    }
    Map<String, Object> doc;
    try {
      doc = Outcome.readMap(dir.resolve(Store.TEST));
    } catch (IOException e) {
      throw new IllegalArgumentException(dir.resolve(Store.TEST) + " is not valid JSON: " + e.getMessage(), e);
    }
    if (!(doc.get("spec") instanceof Map<?, ?> spec)) {
      throw new IllegalArgumentException(dir.resolve(Store.TEST) + " has no \"spec\" object; was it written by faultline test?");
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> entries = (Map<String, ?>) spec;
    return new StoredRun(dir.toRealPath(), TestSpec.DEFAULTS.with(entries));
  }
}
