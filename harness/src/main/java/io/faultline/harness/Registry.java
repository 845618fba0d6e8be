package io.faultline.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What a command line can name, by kind: targets, runtimes, workloads. Every kind is a {@link
 * ServiceLoader} service listed in {@code META-INF/services}, so a new target, runtime or workload
 * is one class and one line there, in this repository or in a jar on the class path; nothing else
 * keeps a list.
 *
 * <p>Contract: {@link #get} returns a fresh instance each time (services may hold per-run state) or
 * throws {@link IllegalArgumentException} with one line naming the option and every known name.
 */
public final class Registry<T> {
  private final Class<T> service;
  private final Function<T, String> name;
  private final String option;
  private List<ServiceLoader.Provider<T>> providers;

  private Registry(Class<T> service, Function<T, String> name, String option) {
    this.service = service;
    this.name = name;
    this.option = option;
  }

  /**
   * @param option the command-line option that names one, such as {@code --target}; its name
   *     without the dashes is what the kind is called in messages
   */
  public static <T> Registry<T> of(Class<T> service, Function<T, String> name, String option) {
    return new Registry<>(service, name, option);
  }

  /** Every registered name, sorted. */
  public List<String> names() {
    TreeSet<String> names = new TreeSet<>();
    for (T t : load()) names.add(name.apply(t));
    return new ArrayList<>(names);
  }

  /** A fresh instance of the one called {@code wanted}. */
  public T get(String wanted) {
    for (T t : load()) if (name.apply(t).equals(wanted)) return t;
    List<String> known = names();
    throw new IllegalArgumentException("unknown " + option.replaceFirst("^-+", "") + " '" + wanted + "'; "
        + (known.isEmpty() ? "none is registered" : option + " takes one of: " + String.join(", ", known)));
  }

  /** Fresh instances of every provider; the providers are found once, since a sweep asks for them per seed. */
  private Iterable<T> load() {
    try {
      List<ServiceLoader.Provider<T>> found;
      synchronized (this) {
        if (providers == null) providers = ServiceLoader.load(service, Registry.class.getClassLoader()).stream().toList();
        found = providers;
      }
      List<T> all = new ArrayList<>();
      for (ServiceLoader.Provider<T> p : found) all.add(p.get());
      return all;
    } catch (ServiceConfigurationError e) {
      throw new IllegalStateException("a registered " + service.getSimpleName() + " cannot be loaded: " + e.getMessage(), e);
    }
  }
}
