package io.faultline.results.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;

/**
 * The store's folder as the only place requests may read from. Every path a request names is
 * resolved to its real location, symbolic links included, and refused unless that is inside the
 * store's real location, so a link inside the store that points outside it serves nothing.
 */
final class StoreFiles {
  private final Path root;

  StoreFiles(Path storeRoot) throws IOException {
    Path real = storeRoot.toRealPath();
    if (!Files.isDirectory(real)) throw new NotDirectoryException(storeRoot.toString());
    this.root = real;
  }

  Path root() {
    return root;
  }

  /** The real path that the (already checked) segments name under the store. */
  Path resolve(List<String> segments) throws Refusal {
    Path p = root;
    for (String s : segments) p = p.resolve(s);
    // The segments cannot hold separators or dot-segments; this guards against that ever changing.
    if (!p.normalize().startsWith(root)) throw Refusal.forbidden("outside the store");
    Path real;
    try {
      real = p.toRealPath();
    } catch (NoSuchFileException e) {
      throw Refusal.notFound("no such file in the store");
    } catch (IOException e) {
      throw Refusal.notFound("cannot read that file in the store");
    }
    if (!real.startsWith(root)) throw Refusal.forbidden("outside the store");
    return real;
  }

  /** The real path of {@code p} when it exists inside the store, else null. */
  Path inside(Path p) {
    try {
      Path real = p.toRealPath();
      return real.startsWith(root) ? real : null;
    } catch (IOException e) {
      return null;
    }
  }
}
