package io.faultline.harness.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.faultline.harness.runtime.EnvironmentException;
import io.faultline.harness.runtime.Shell;
import io.faultline.nemesis.FaultException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The image every node container runs: a minimal Debian root made by {@code debootstrap} with a
 * headless JRE, iptables, iproute2 and libfaketime, turned into an image by the engine's import
 * ({@code docker import}), never pulled. Its tag is a hash of the recipe ({@link #RECIPE}), so an
 * engine that has the tag has this image, and a changed recipe builds a new one. The node code is
 * not in the image: the classpath is bind-mounted, so a rebuilt Faultline needs no new image.
 */
final class NodeImage {
  static final String SUITE = "bookworm";
  static final List<String> PACKAGES = List.of("openjdk-17-jre-headless", "iptables", "iproute2", "faketime");
  /** Everything the image is a function of; change it and every engine gets a new image. */
  static final String RECIPE = "debootstrap --variant=minbase " + SUITE + " +" + String.join(",", PACKAGES)
      + " -docs,man,locales,apt-lists v1";
  static final String REPOSITORY = "faultline-node";
  private static final long BUILD_TIMEOUT_MINUTES = 20;

  private NodeImage() {}

  /** {@code faultline-node:<first 12 hex digits of the recipe's SHA-256>}. */
  static String tag() {
    return REPOSITORY + ":" + hash();
  }

  static String hash() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(RECIPE.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Where Faultline keeps what outlives a run: {@code $XDG_CACHE_HOME/faultline} or {@code ~/.cache/faultline}. */
  static Path cacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("faultline");
  }

  /** Architecture folder of the image's libraries, which is the host's: the engine runs the host's architecture. */
  static String multiarch() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return arch.equals("aarch64") || arch.equals("arm64") ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
  }

  static String faketimeLibrary() {
    return "/usr/lib/" + multiarch() + "/faketime/libfaketime.so.1";
  }

  /**
   * Makes sure the engine has the image, building it when it has not, and returns its tag.
   *
   * @throws EnvironmentException when it cannot be built here (not root, no debootstrap, no mirror)
   */
  static String ensure(DockerClient docker, String engineSocket, Consumer<String> log) {
    String tag = tag();
    if (present(docker, tag)) return tag;
    Path cache = cacheDir();
    try {
      Files.createDirectories(cache);
      try (FileChannel channel = FileChannel.open(cache.resolve("image-build.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
        // Another run may have built it while this one waited for the lock.
        if (present(docker, tag)) return tag;
        build(docker, engineSocket, tag, cache.resolve("rootfs-" + hash()), log);
      }
    } catch (IOException e) {
      throw new EnvironmentException("cannot build the node image in " + cache + ": " + e.getMessage()
          + "; free space there or set XDG_CACHE_HOME to a writable folder", e);
    }
    return tag;
  }

  private static boolean present(DockerClient docker, String tag) {
    try {
      docker.inspectImageCmd(tag).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  private static void build(DockerClient docker, String engineSocket, String tag, Path rootfs, Consumer<String> log) throws IOException {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new EnvironmentException("the engine has no " + tag + " and building it needs root (debootstrap); run once"
          + " as root, or import it: sudo faultline test --runtime docker");
    }
    if (!Shell.installed("debootstrap")) {
      throw new EnvironmentException("the engine has no " + tag + " and building it needs debootstrap; install it"
          + " (apt-get install debootstrap)");
    }
    String mirror = System.getenv().getOrDefault("FAULTLINE_DEBIAN_MIRROR", "http://deb.debian.org/debian");
    long start = System.nanoTime();
    log.accept("building the node image " + tag + " (" + RECIPE + ") from " + mirror + "; this happens once per engine");
    deleteTree(rootfs);
    try {
      run(List.of("debootstrap", "--variant=minbase", "--include=" + String.join(",", PACKAGES), SUITE, rootfs.toString(), mirror),
          "debootstrap of " + SUITE + " from " + mirror);
      // What no node reads: documentation, manuals, translations, package lists.
      for (String dir : List.of("usr/share/doc", "usr/share/man", "usr/share/locale", "usr/share/info", "var/lib/apt/lists",
          "var/cache/apt", "var/cache/debconf")) {
        deleteTree(rootfs.resolve(dir));
      }
      Path tarball = rootfs.resolveSibling(rootfs.getFileName() + ".tar");
      try {
        run(List.of("tar", "--numeric-owner", "-C", rootfs.toString(), "-cf", tarball.toString(), "."),
            "tar of the node image's root folder");
        importTarball(engineSocket, tarball, REPOSITORY, hash());
      } finally {
        Files.deleteIfExists(tarball);
      }
    } finally {
      deleteTree(rootfs);
    }
    InspectImageResponse image = docker.inspectImageCmd(tag).exec();
    log.accept(String.format(Locale.ROOT, "built %s in %.1f s: %.0f MB", tag, (System.nanoTime() - start) / 1e9,
        image.getSize() / 1e6));
  }

  /**
   * {@code docker import}: the Engine API's image create from a source of {@code -}, the tarball as
   * the request's body. Sent by hand over the socket because docker-java's zerodep transport cut
   * the 500 MB body short (the engine answered "unexpected EOF"); every other call goes through
   * docker-java.
   */
  static void importTarball(String engineSocket, Path tarball, String repository, String tag) throws IOException {
    long length = Files.size(tarball);
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(engineSocket.substring("unix://".length())))) {
      String head = "POST /images/create?fromSrc=-&repo=" + repository + "&tag=" + tag + " HTTP/1.1\r\n"
          + "Host: docker\r\nContent-Type: application/x-tar\r\nContent-Length: " + length + "\r\nConnection: close\r\n\r\n";
      write(channel, ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
      try (FileChannel file = FileChannel.open(tarball)) {
        long sent = 0;
        while (sent < length) sent += file.transferTo(sent, length - sent, channel);
      }
      String answer = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
      String status = answer.lines().findFirst().orElse("");
      // The engine streams progress as JSON lines and reports a failure in one of them, even under 200.
      if (!status.contains(" 200 ") || answer.contains("\"error\"")) {
        String last = answer.strip().lines().reduce((a, b) -> b).orElse(status);
        throw new EnvironmentException("the engine refused the node image's import: " + status + " " + last);
      }
    }
  }

  private static void write(SocketChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) channel.write(buffer);
  }

  private static void run(List<String> command, String what) {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new EnvironmentException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    }
    try {
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new EnvironmentException(what + " did not finish within " + BUILD_TIMEOUT_MINUTES + " minutes");
      }
      if (p.exitValue() != 0) {
        List<String> lines = new String(out, StandardCharsets.UTF_8).strip().lines().toList();
        throw new EnvironmentException(what + " failed (exit " + p.exitValue() + "): "
            + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()))
            + "; set FAULTLINE_DEBIAN_MIRROR to a reachable Debian mirror");
      }
    } catch (IOException e) {
      throw new EnvironmentException(what + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new EnvironmentException("interrupted during " + what, e);
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) return;
    // rm rather than Files.walk: a debootstrapped root holds device nodes and links into itself.
    if (!Shell.tryRun(List.of("rm", "-rf", "--one-file-system", dir.toString()))) {
      throw new FaultException("cannot remove " + dir + "; remove it by hand");
    }
  }
}
