package io.faultline.checkers.history;

/**
 * An EDN keyword such as {@code :x} or {@code :not-held}, kept distinct from strings so that a history
 * read from EDN is written back to EDN unchanged. JSON has no keywords: they are written as their name.
 */
public record Keyword(String name) implements Comparable<Keyword> {
  public Keyword {
    if (name == null || name.isEmpty()) throw new IllegalArgumentException("keyword needs a name");
  }

  public static Keyword of(String name) {
    return new Keyword(name);
  }

  @Override
  public String toString() {
    return ":" + name;
  }

  @Override
  public int compareTo(Keyword o) {
    return name.compareTo(o.name);
  }
}
