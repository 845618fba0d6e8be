package io.faultline.results.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A run folder as a zip, written straight to the response as the folder is walked, so a run with a
 * large history or node data costs a buffer, not its size in memory. Entries are named {@code
 * TEST/RUN/...}: unzipped into a store, the run lands where it was. Links that lead outside the
 * store are left out, like everything else the server refuses to serve.
 */
final class RunZip {
  private RunZip() {}

  static void write(StoreFiles files, Path run, String test, String runName, OutputStream out) throws IOException {
    String prefix = test + "/" + runName + "/";
    ZipOutputStream zip = new ZipOutputStream(out);
    zip.putNextEntry(new ZipEntry(prefix));
    zip.closeEntry();
    RunFiles.walk(files, run, e -> {
      switch (e.kind()) {
        case FOLDER -> {
          zip.putNextEntry(new ZipEntry(prefix + e.name() + "/"));
          zip.closeEntry();
        }
        case FILE -> copy(zip, prefix + e.name(), e.real());
        case OUTSIDE -> { }
      }
      return true;
    });
    zip.finish();
    zip.flush();
  }

  private static void copy(ZipOutputStream zip, String name, Path real) throws IOException {
    InputStream in;
    FileTime modified;
    try {
      // Opened before the entry is started, so a file deleted meanwhile leaves no empty entry.
      in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS);
      modified = Files.getLastModifiedTime(real);
    } catch (NoSuchFileException e) {
      return;
    }
    try (in) {
      ZipEntry entry = new ZipEntry(name);
      entry.setLastModifiedTime(modified);
      zip.putNextEntry(entry);
      in.transferTo(zip);
      zip.closeEntry();
    }
  }
}
