package io.faultline.harness.cli;

import static io.faultline.harness.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
  @TempDir Path tmp;


  @Test
  void aMissingStoreIsOneLineNamingTheFix() {
    CliRun r = run("serve", "--store", tmp.resolve("nope").toString(), "--port", "0");
    assertEquals(ExitCodes.BAD_ARGUMENTS, r.exit());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("no such folder; run faultline test first or pass --store DIR"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void aPortOutOfRangeIsBadArguments() {
    CliRun r = run("serve", "--store", tmp.toString(), "--port", "70000");
    assertEquals(ExitCodes.BAD_ARGUMENTS, r.exit());
    assertTrue(r.err().contains("--port takes 0 to 65535"), r.err());
  }

  @Test
  void aPortInUseIsOneLineAndExit254() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      CliRun r = run("serve", "--store", tmp.toString(), "--port", String.valueOf(taken.getLocalPort()));
      assertEquals(ExitCodes.BAD_ARGUMENTS, r.exit(), r.err());
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(r.err().startsWith("faultline: cannot listen on 127.0.0.1:" + taken.getLocalPort()), r.err());
    }
  }

  @Test
  void itServesTheStoreUntilInterrupted() throws Exception {
    Path runDir = Files.createDirectories(tmp.resolve("register/20260101T000000"));
    Files.writeString(runDir.resolve("test.json"), "{\"name\":\"register\",\"seed\":7,\"began\":\"2026-01-01T00:00:00Z\"}");
    Files.writeString(runDir.resolve("results.json"), "{\"valid\":\"true\",\"summary\":\"all good\"}");

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread serving = new Thread(() -> exit.set(Main.run(new String[] {"serve", "--store", tmp.toString(), "--port", "0"},
        new PrintWriter(out, true), new PrintWriter(err, true))), "serve-under-test");
    serving.start();
    try {
      Pattern line = Pattern.compile("faultline serve: (http://127\\.0\\.0\\.1:(\\d+)/) \\(store (.+)\\); Ctrl-C to stop\\n");
      Matcher m = line.matcher("");
      for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); System.nanoTime() < deadline; ) {
        m = line.matcher(out.toString());
        if (m.matches()) break;
        assertTrue(serving.isAlive(), "serve ended early: " + err);
        Thread.sleep(20);
      }
      assertTrue(m.matches(), "one line with the address: '" + out + "' " + err);
      assertEquals(tmp.toString(), m.group(3));
      int port = Integer.parseInt(m.group(2));

      HttpURLConnection c = (HttpURLConnection) URI.create(m.group(1)).toURL().openConnection();
      c.setConnectTimeout(10_000);
      c.setReadTimeout(10_000);
      assertEquals(200, c.getResponseCode());
      String page = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(page.contains("all good") && page.contains("/runs/register/20260101T000000/"), page);

      serving.interrupt();
      serving.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(serving.isAlive(), "serve stops when interrupted");
      assertEquals(ExitCodes.VALID, exit.get(), err.toString());
      assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close(), "no longer listening");
    } finally {
      serving.interrupt();
    }
  }
}
