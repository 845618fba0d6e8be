package io.faultline.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The histories in the repository's {@code examples/} give the verdicts its README says they give. */
class ExamplesTest {
  private static CliRun check(String... args) {
    String[] all = Stream.concat(Stream.of("check"), Stream.of(args)).toArray(String[]::new);
    return CliRun.run(all);
  }

  /** The examples folder at the repository's root, found upward from where the tests run. */
  private static Path examples() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("examples/README.md"))) return p.resolve("examples");
    }
    throw new AssertionError("no examples/README.md above " + Path.of("").toAbsolutePath());
  }

  @Test
  void theRegisterExampleIsValid() {
    Path file = examples().resolve("register.jsonl");
    CliRun r = check(file.toString(), "--model", "cas-register");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().startsWith("true "), r.out());
    assertEquals("", r.err());
    // Under a model without cas it is refused as bad input, naming the model that has it; never "false".
    CliRun plain = check(file.toString(), "--model", "register");
    assertEquals(254, plain.exit(), plain.toString());
    assertTrue(plain.err().strip().endsWith("--model cas-register knows cas"), plain.err());
  }

  @Test
  void theStaleReadExampleIsInvalid() {
    CliRun r = check(examples().resolve("stale-read.edn").toString(), "--model", "cas-register", "--init", "0");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.out().startsWith("false "), r.out());
    assertTrue(r.out().contains("process 2 read -> ok 1"), r.out());
  }

  @Test
  void theSequentialExampleIsToldApartFromALinearizableOne() {
    Path file = examples().resolve("sequential-not-linearizable.edn");
    CliRun linear = check(file.toString(), "--model", "register", "--init", "0");
    assertEquals(1, linear.exit(), linear.toString());
    CliRun sequential = check(file.toString(), "--model", "register", "--init", "0", "--consistency", "sequential");
    assertEquals(0, sequential.exit(), sequential.toString());
    assertTrue(sequential.out().startsWith("true "), sequential.out());
    // The stale-read example is neither: process 2 reads 1, then 2, then 1 again, in its own order.
    CliRun neither = check(examples().resolve("stale-read.edn").toString(), "--model", "cas-register", "--init", "0",
        "--consistency", "sequential");
    assertEquals(1, neither.exit(), neither.toString());
    CliRun wrong = check(file.toString(), "--model", "register", "--consistency", "serializable");
    assertEquals(254, wrong.exit(), wrong.toString());
    assertTrue(wrong.err().contains("linearizable or sequential"), wrong.err());
  }

  @Test
  void theReadmeNamesEveryExampleAndItsVerdict() throws IOException {
    String readme = Files.readString(examples().resolve("README.md"));
    List<String> files;
    try (Stream<Path> s = Files.list(examples())) {
      files = s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("README.md")).sorted().toList();
    }
    assertEquals(List.of("register.jsonl", "sequential-not-linearizable.edn", "stale-read.edn"), files, "a new example needs a test and a README line");
    assertTrue(readme.contains("`register.jsonl`: ") && readme.contains("**Valid**"), readme);
    assertTrue(readme.contains("`stale-read.edn`: ") && readme.contains("**Invalid**"), readme);
    assertTrue(readme.contains("./faultline check examples/register.jsonl --model cas-register"), readme);
    assertTrue(readme.contains("./faultline check examples/stale-read.edn --model cas-register --init 0"), readme);
    assertTrue(readme.contains("--model register --init 0` exits 1") && readme.contains("--consistency sequential"), readme);
  }
}
