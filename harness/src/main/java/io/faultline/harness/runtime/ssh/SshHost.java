package io.faultline.harness.runtime.ssh;

import io.faultline.harness.runtime.EnvironmentException;
import io.faultline.nemesis.FaultException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.transport.verification.PromiscuousVerifier;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.xfer.FileSystemFile;

/**
 * One SSH connection to one host: commands, file transfers, and long-lived sessions for node
 * processes. Host keys are checked against an OpenSSH {@code known_hosts} file unless the spec
 * trusts new keys explicitly. Every failure is a {@link FaultException} of one line that names the
 * host, the problem and the fix.
 */
final class SshHost implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final long COMMAND_TIMEOUT_SECONDS = 30;

  final HostAddress address;
  private final SSHClient ssh;

  private SshHost(HostAddress address, SSHClient ssh) {
    this.address = address;
    this.ssh = ssh;
  }

  /**
   * Connects and logs in.
   *
   * @throws FaultException for an unreachable host, a host key known_hosts lacks or contradicts, or a
   *     refused key
   */
  static SshHost connect(HostAddress address, SshLogin login, Consumer<String> warn) {
    SSHClient ssh = new SSHClient();
    try {
      ssh.setConnectTimeout(CONNECT_TIMEOUT_MS);
      if (login.trustNewHostKeys()) {
        warn.accept("warning: accepting " + address + "'s host key without checking it against known_hosts"
            + " (--ssh trust-new-host-keys=true); a machine in the middle would not be noticed");
        ssh.addHostKeyVerifier(new PromiscuousVerifier());
      } else {
        if (!Files.isRegularFile(login.knownHosts())) {
          throw new EnvironmentException("no known_hosts file at " + login.knownHosts() + " to check " + address + "'s host key;"
              + " write one (ssh-keyscan -p " + address.port() + " " + address.host() + " >> " + login.knownHosts()
              + "), name it with --ssh known-hosts=FILE, or pass --ssh trust-new-host-keys=true");
        }
        ssh.loadKnownHosts(login.knownHosts().toFile());
      }
      ssh.connect(address.host(), address.port());
      ssh.authPublickey(address.user(), ssh.loadKeys(login.key().toString()));
      ssh.getConnection().getKeepAlive().setKeepAliveInterval(5);
      return new SshHost(address, ssh);
    } catch (EnvironmentException e) {
      quietly(ssh);
      throw e;
    } catch (UnknownHostException | ConnectException | NoRouteToHostException | SocketTimeoutException e) {
      quietly(ssh);
      throw new EnvironmentException("cannot reach " + address + " (" + e.getMessage() + "); check the address in --hosts"
          + " and that sshd runs there on port " + address.port(), e);
    } catch (UserAuthException e) {
      quietly(ssh);
      throw new EnvironmentException(address + " refused the key " + login.key() + " for " + address.user() + "; add its"
          + " public key to ~" + address.user() + "/.ssh/authorized_keys there, or name another with --ssh key=FILE", e);
    } catch (TransportException e) {
      quietly(ssh);
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      if (why.contains("verify") || why.contains("HostKey") || why.contains("host key")) {
        throw new EnvironmentException(address + "'s host key does not match " + login.knownHosts() + " (" + why + ");"
            + " check that it is the machine you mean, then add its key (ssh-keyscan -p " + address.port() + " "
            + address.host() + " >> " + login.knownHosts() + ")", e);
      }
      throw new EnvironmentException("the SSH connection to " + address + " failed: " + why, e);
    } catch (IOException e) {
      quietly(ssh);
      throw new EnvironmentException("the SSH connection to " + address + " failed: " + e.getMessage()
          + "; check --hosts and --ssh key=FILE", e);
    }
  }

  /** Runs {@code command} through the remote shell; its exit status and what it printed. */
  Result exec(String command) {
    try (Session session = ssh.startSession()) {
      Session.Command cmd = session.exec(command);
      cmd.getOutputStream().close();
      byte[] out = readAll(cmd.getInputStream());
      byte[] err = readAll(cmd.getErrorStream());
      cmd.join(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Integer status = cmd.getExitStatus();
      return new Result(status == null ? -1 : status, new String(out, StandardCharsets.UTF_8),
          new String(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new FaultException("running a command on " + address + " failed (" + e.getMessage() + "): " + command, e);
    }
  }

  /** As {@link #exec}, failing with the command's error output when it exits non-zero. */
  String run(String command) {
    Result r = exec(command);
    if (r.status() != 0) {
      String err = String.join(" | ", (r.err() + r.out()).strip().lines().toList());
      throw new FaultException("on " + address + ", '" + command + "' failed (exit " + r.status() + "): " + err);
    }
    return r.out();
  }

  /** Starts {@code command} on a session of its own, which stays open while it runs; its stdin is the session's. */
  Session.Command start(String command) {
    try {
      Session session = ssh.startSession();
      return session.exec(command);
    } catch (IOException e) {
      throw new FaultException("starting a process on " + address + " failed (" + e.getMessage() + ")", e);
    }
  }

  /** Copies files or whole folders to {@code remote}, a path the upload creates. */
  void upload(List<Path> locals, List<String> remotes) {
    try (SFTPClient sftp = ssh.newSFTPClient()) {
      for (int i = 0; i < locals.size(); i++) {
        String remote = remotes.get(i);
        int slash = remote.lastIndexOf('/');
        if (slash > 0) sftp.mkdirs(remote.substring(0, slash));
        sftp.put(new FileSystemFile(locals.get(i).toFile()), remote);
      }
    } catch (IOException e) {
      throw new FaultException("copying files to " + address + " failed (" + e.getMessage() + "); check the free space"
          + " and that " + address.user() + " may write there", e);
    }
  }

  /** Copies {@code remote} (a file or a folder) here, to {@code local}; false when there is none. */
  boolean download(String remote, Path local) {
    try (SFTPClient sftp = ssh.newSFTPClient()) {
      if (sftp.statExistence(remote) == null) return false;
      Files.createDirectories(local.toAbsolutePath().getParent());
      sftp.get(remote, new FileSystemFile(local.toFile()));
      return true;
    } catch (IOException e) {
      throw new FaultException("copying " + remote + " from " + address + " failed (" + e.getMessage() + ")", e);
    }
  }

  boolean connected() {
    return ssh.isConnected();
  }

  @Override
  public void close() {
    quietly(ssh);
  }

  private static byte[] readAll(InputStream in) throws IOException {
    return in.readAllBytes();
  }

  private static void quietly(SSHClient ssh) {
    try {
      ssh.disconnect();
    } catch (IOException | RuntimeException ignored) {
      // closing what may never have opened
    }
    try {
      ssh.close();
    } catch (IOException | RuntimeException ignored) {
      // as above
    }
  }

  /** A finished remote command. */
  record Result(int status, String out, String err) {}

  /** A shell word: {@code 'it''s'} becomes {@code 'it'\''s'}. */
  static String quote(String word) {
    if (!word.isEmpty() && word.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./,=:+@%".indexOf(c) >= 0)) return word;
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
