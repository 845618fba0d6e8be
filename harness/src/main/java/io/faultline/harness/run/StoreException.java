package io.faultline.harness.run;

/**
 * The store cannot take a run at all (its folder cannot be made: a full disk, a read-only
 * filesystem): a problem of the machine, not of the run, said in one line that names the fix.
 */
public final class StoreException extends RuntimeException {
  StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** What an I/O failure means to a user: "the disk is full" rather than an exception's name. */
  static String describe(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (m.contains("No space left on device") || m.contains("Disk quota exceeded")) return "the disk is full (" + m + ")";
    if (m.contains("Read-only file system")) return "the filesystem is read-only (" + m + ")";
    return m;
  }
}
