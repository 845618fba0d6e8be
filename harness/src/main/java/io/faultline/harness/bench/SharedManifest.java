package io.faultline.harness.bench;

import io.faultline.checkers.model.Model;
import io.faultline.checkers.model.ModelSpec;
import io.faultline.checkers.model.Semantics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The rows of shared/histories/MANIFEST.tsv that the checker benchmark runs. */
record SharedManifest(Path dir, List<Row> rows) {

  /** One history: where it is, its format and model as the manifest names them, the expected verdict. */
  record Row(Path file, String path, String format, String model, int ops, boolean expected) {

    /** The manifest's model, such as {@code cas-register(init=0)}, under the given reading. */
    Model model(Semantics semantics) {
      return ModelSpec.parse(model, semantics);
    }
  }

  static SharedManifest read(Path dir) throws IOException {
    Path manifest = dir.resolve("MANIFEST.tsv");
    List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
    String[] header = lines.get(0).split("\t", -1);
    Map<String, Integer> col = new HashMap<>();
    for (int i = 0; i < header.length; i++) col.put(header[i], i);
    List<Row> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) continue;
      String[] f = line.split("\t", -1);
      String path = f[col.get("path")];
      rows.add(new Row(dir.resolve(path), path, f[col.get("format")], f[col.get("model")],
          Integer.parseInt(f[col.get("ops")]), Boolean.parseBoolean(f[col.get("expected_linearizable")])));
    }
    return new SharedManifest(dir, rows);
  }
}
