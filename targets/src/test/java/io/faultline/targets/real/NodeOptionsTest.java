package io.faultline.targets.real;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.real.NodeOptions.UsageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The command line's grammar, in process; NodeMainTest covers the exit codes. */
class NodeOptionsTest {
  private static final List<String> GOOD = List.of("--target", "raft", "--id", "n2",
      "--members", "n1=127.0.0.1:7001,n2=127.0.0.1:7002,n3=localhost:7003", "--client-port", "8002", "--data", "/tmp/n2");

  private static NodeOptions parse(List<String> args) throws UsageException {
    return NodeOptions.parse(args.toArray(String[]::new));
  }

  private static List<String> with(String... more) {
    List<String> args = new ArrayList<>(GOOD);
    args.addAll(List.of(more));
    return args;
  }

  private static String refusal(List<String> args) {
    UsageException e = assertThrows(UsageException.class, () -> parse(args));
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertTrue(e.getMessage().contains(";"), "the problem, then the fix: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void aFullCommandLine() throws UsageException {
    NodeOptions o = parse(with("--bug", "stale-read", "--bug", "skip-fsync", "--set", "read=lease",
        "--set", "x=a=b", "--request-timeout", "250ms", "--seed", "-3"));
    assertEquals("raft", o.target());
    assertNull(o.targetClass());
    assertEquals("n2", o.id());
    assertEquals(List.of("n1", "n2", "n3"), new ArrayList<>(o.members().keySet()));
    assertEquals(7003, o.members().get("n3").getPort());
    assertEquals("localhost", o.members().get("n3").getHostString());
    assertEquals(8002, o.clientPort());
    assertEquals(Path.of("/tmp/n2"), o.data());
    assertEquals(Set.of("stale-read", "skip-fsync"), o.bugs());
    assertEquals(Map.of("read", "lease", "x", "a=b"), o.settings());
    assertEquals(Duration.ofMillis(250), o.requestTimeout());
    assertEquals(-3L, o.seed());
  }

  @Test
  void defaultsAndTheEqualsForm() throws UsageException {
    List<String> args = new ArrayList<>();
    for (int i = 0; i < GOOD.size(); i += 2) args.add(GOOD.get(i) + "=" + GOOD.get(i + 1));
    NodeOptions o = parse(args);
    assertEquals("n2", o.id());
    assertEquals(NodeOptions.DEFAULT_REQUEST_TIMEOUT, o.requestTimeout());
    assertNull(o.seed());
    assertEquals(Set.of(), o.bugs());
  }

  @Test
  void durations() throws UsageException {
    assertEquals(Duration.ofSeconds(5), NodeOptions.duration("--t", "5s"));
    assertEquals(Duration.ofMinutes(2), NodeOptions.duration("--t", "2m"));
    assertEquals(Duration.ofMillis(1), NodeOptions.duration("--t", "1ms"));
    for (String bad : List.of("0s", "5", "-1s", "1.5s", "5h", "s")) {
      assertThrows(UsageException.class, () -> NodeOptions.duration("--t", bad), bad);
    }
  }

  @Test
  void ipv6PeersInBrackets() throws UsageException {
    NodeOptions o = parse(List.of("--target", "raft", "--id", "a", "--members", "a=[::1]:7001",
        "--client-port", "0", "--data", "d"));
    assertEquals("::1", o.members().get("a").getHostString());
  }

  @Test
  void refusals() {
    assertTrue(refusal(List.of()).contains("--target"));
    assertTrue(refusal(with("--target-class", "x.Y")).contains("both --target and --target-class"));
    assertTrue(refusal(with("--id", "n1")).contains("--id given twice"));
    assertTrue(refusal(with("--wat", "1")).contains("unknown option --wat"));
    assertTrue(refusal(with("--seed")).contains("--seed needs a value"));
    assertTrue(refusal(with("--seed", "x")).contains("--seed 'x'"));
    assertTrue(refusal(with("--set", "novalue")).contains("not KEY=VALUE"));
    assertTrue(refusal(with("--set", "a=1", "--set", "a=2")).contains("--set a given twice"));
    assertTrue(refusal(with("stray")).contains("unexpected argument 'stray'"));
    List<String> notAMember = new ArrayList<>(GOOD);
    notAMember.set(notAMember.indexOf("n2"), "n9");
    assertTrue(refusal(notAMember).contains("node n9 is not in --members"));
    for (String peers : List.of("n1", "n1=host", "n1=:7001", "n1=h:99999", "n1=h:0", "n1=h:1,n1=h:2", "=h:1", "n 1=h:1")) {
      List<String> args = new ArrayList<>(List.of("--target", "raft", "--id", "n1", "--members", peers,
          "--client-port", "1", "--data", "d"));
      assertTrue(refusal(args).contains("--members"), peers);
    }
    assertTrue(refusal(with("--client-port", "70000")).contains("--client-port"));
  }

  @Test
  void exitOnStdinEofIsAFlagWithoutValue() throws UsageException {
    assertFalse(parse(GOOD).exitOnStdinEof());
    List<String> first = new ArrayList<>(List.of("--exit-on-stdin-eof"));
    first.addAll(GOOD);
    assertTrue(parse(first).exitOnStdinEof(), "before the others");
    assertTrue(parse(with("--exit-on-stdin-eof")).exitOnStdinEof(), "last");
    assertTrue(refusal(with("--exit-on-stdin-eof=yes")).contains("takes no value"));
    assertTrue(refusal(with("--exit-on-stdin-eof", "--exit-on-stdin-eof")).contains("given twice"));
    assertTrue(NodeOptions.USAGE.contains("--exit-on-stdin-eof"));
  }

  @Test
  void theBindAddressIsOptional() throws UsageException {
    assertNull(parse(GOOD).bindAddress(), "as before: every interface for clients, the --members host for nodes");
    assertEquals("127.0.0.1", parse(with("--bind-address", "127.0.0.1")).bindAddress());
    assertTrue(refusal(with("--bind-address", "")).contains("--bind-address is empty"));
    assertTrue(NodeOptions.USAGE.contains("--bind-address"));
  }

  @Test
  void helpNeedsNothingElse() throws UsageException {
    assertTrue(parse(List.of("--help")).help());
  }
}
