package io.faultline.checkers.model;

import java.util.List;

/** The models Faultline knows by name. */
public final class Models {
  private Models() {}

  /** Every name {@link #create} accepts. */
  public static final List<String> NAMES = List.of(
      "register", "cas-register", "kv", "set", "unordered-queue", "fifo-queue", "mutex", "multi-register");

  /**
   * A model by name.
   *
   * @param name one of {@link #NAMES}
   * @param init the initial state (for kv, a map from key to value, or one value for every key), or
   *     null for the model's own default
   * @param semantics how nil reads and failed operations are read
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static Model create(String name, Object init, Semantics semantics) {
    return switch (name) {
      case "register" -> new RegisterModel("register", semantics, init, false, false);
      case "cas-register" -> new RegisterModel("cas-register", semantics, init, true, false);
      case "kv" -> new RegisterModel("kv", semantics, init == null ? "" : init, true, true);
      case "set" -> new SetModel();
      case "unordered-queue" -> new QueueModel(false);
      case "fifo-queue" -> new QueueModel(true);
      case "mutex" -> new MutexModel();
      case "multi-register" -> new MultiRegisterModel(semantics, init);
      default -> throw new IllegalArgumentException(
          "unknown model '" + name + "'; expected one of " + String.join(", ", NAMES));
    };
  }
}
