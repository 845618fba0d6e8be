package io.faultline.results.serve;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Walks the files of a run for the listing and the zip. Symbolic links are not descended into (no
 * cycles, no second copies); a link is reported with what it leads to when that is inside the
 * store, and as {@link Kind#OUTSIDE} otherwise, never with the outside file's size or content.
 */
final class RunFiles {
  enum Kind { FOLDER, FILE, OUTSIDE }

  /**
   * One entry under the walked folder: its path relative to that folder as names, and for a folder
   * or file its real location in the store (for a link, the link's target).
   */
  record Entry(List<String> path, Kind kind, Path real, long size, boolean link) {
    String name() {
      return String.join("/", path);
    }
  }

  interface Visitor {
    /** Returns false to stop the walk. */
    boolean visit(Entry entry) throws IOException;
  }

  private RunFiles() {}

  /** Visits every entry under {@code dir}, folders before their content; unreadable ones are skipped. */
  static void walk(StoreFiles files, Path dir, Visitor visitor) throws IOException {
    Files.walkFileTree(dir, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
        if (d.equals(dir)) return FileVisitResult.CONTINUE;
        return visitor.visit(new Entry(names(dir, d), Kind.FOLDER, d, 0, false))
            ? FileVisitResult.CONTINUE : FileVisitResult.TERMINATE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        Entry e;
        if (attrs.isSymbolicLink()) {
          Path real = files.inside(f);
          if (real == null) {
            e = new Entry(names(dir, f), Kind.OUTSIDE, null, 0, true);
          } else if (Files.isDirectory(real)) {
            e = new Entry(names(dir, f), Kind.FOLDER, real, 0, true);
          } else if (Files.isRegularFile(real)) {
            e = new Entry(names(dir, f), Kind.FILE, real, size(real), true);
          } else {
            return FileVisitResult.CONTINUE;
          }
        } else if (attrs.isRegularFile()) {
          e = new Entry(names(dir, f), Kind.FILE, f, attrs.size(), false);
        } else {
          return FileVisitResult.CONTINUE; // sockets, pipes: nothing to read
        }
        return visitor.visit(e) ? FileVisitResult.CONTINUE : FileVisitResult.TERMINATE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path f, IOException e) {
        return FileVisitResult.CONTINUE; // deleted or unreadable meanwhile: a running test writes as we walk
      }
    });
  }

  private static List<String> names(Path base, Path p) {
    List<String> out = new ArrayList<>();
    for (Path n : base.relativize(p)) out.add(n.toString());
    return out;
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }
}
