package io.faultline.targets.node;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bundled target's {@code --set name=value} pairs, read once: unknown names refused, numbers
 * checked, every refusal one line naming the target, the setting and what it takes.
 */
public final class Settings {
  private final String target;
  private final TreeMap<String, String> given;

  private Settings(String target, TreeMap<String, String> given) {
    this.target = target;
    this.given = given;
  }

  /**
   * The settings, refusing a name not in {@code known} (the first in sorted order, so the same one
   * every time).
   */
  public static Settings of(String target, Map<String, String> given, List<String> known) {
    TreeMap<String, String> sorted = new TreeMap<>(given);
    for (String name : sorted.keySet()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown " + target + " setting '" + name + "' (known: "
            + String.join(", ", known) + ")");
      }
    }
    return new Settings(target, sorted);
  }

  /** The text given for {@code name}, or {@code fallback}. */
  public String text(String name, String fallback) {
    return given.getOrDefault(name, fallback);
  }

  /** Whether {@code name} was given. */
  public boolean has(String name) {
    return given.containsKey(name);
  }

  /** A whole number from 1. */
  public int positive(String name, int fallback) {
    String text = given.get(name);
    if (text == null) return fallback;
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= 1) return value;
    } catch (NumberFormatException e) {
      // reported below, with the same message as a value out of range
    }
    throw refused(name + " must be a whole number >= 1, got '" + text + "'");
  }

  /** A fraction in [0, 1). */
  public double fraction(String name, double fallback) {
    String text = given.get(name);
    if (text == null) return fallback;
    try {
      double value = Double.parseDouble(text.trim());
      if (value >= 0 && value < 1) return value;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw refused(name + " must be a fraction in [0, 1), got '" + text + "'");
  }

  /** A refusal of this target's settings: {@code <target> setting <what>}. */
  public IllegalArgumentException refused(String what) {
    return new IllegalArgumentException(target + " setting " + what);
  }
}
