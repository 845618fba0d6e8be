package io.faultline.checkers.model;

import io.faultline.checkers.history.Edn;

/**
 * A model named together with its initial state in one string, as the shared histories' manifest
 * writes it: {@code cas-register(init=0)}, {@code multi-register(init={:x 0 :y 0})},
 * {@code mutex(init=free)}, {@code kv-append(per-key string, init="")}.
 */
public final class ModelSpec {
  private ModelSpec() {}

  /**
   * The model the spec names, under the given reading.
   *
   * @throws IllegalArgumentException for an unknown model or an initial state that is not EDN
   */
  public static Model parse(String spec, Semantics semantics) {
    String s = spec.strip().replace("\"\"", "\"");
    if (s.startsWith("\"") && s.endsWith("\"")) s = s.substring(1, s.length() - 1);
    int paren = s.indexOf('(');
    String name = paren < 0 ? s : s.substring(0, paren);
    int at = s.indexOf("init=");
    String init = at < 0 ? null : s.substring(at + 5, s.lastIndexOf(')'));
    return switch (name) {
      // Porcupine's kv model: a string per key, appended to, absent reads as "".
      case "kv-append" -> Models.create("kv", "", semantics);
      // The mutex's state is free or held; "free" is a word, not EDN.
      case "mutex" -> Models.create("mutex", null, semantics);
      default -> Models.create(name, init == null ? null : Edn.parse(init), semantics);
    };
  }
}
