package io.faultline.results.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.results.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class JUnitXmlTest {
  @TempDir Path tmp;

  private static Document parse(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
  }

  @Test
  void validRunIsOnePassingCasePerChecker() throws Exception {
    StoredRuns.Stored run = StoredRuns.write(tmp.resolve("valid"), 7, false, "k3", 4);
    Document doc = parse(JUnitXml.write(run.dir()));
    Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
    assertEquals("sim-register", suite.getAttribute("name"));
    assertEquals("1", suite.getAttribute("tests"));
    assertEquals("0", suite.getAttribute("failures"));
    assertEquals("0", suite.getAttribute("errors"));
    assertEquals(1, doc.getElementsByTagName("testcase").getLength());
    assertEquals("register / linearizable", ((Element) doc.getElementsByTagName("testcase").item(0)).getAttribute("name"));
    assertEquals(0, doc.getElementsByTagName("failure").getLength());
    assertTrue(Files.readString(run.dir().resolve(Store.JUNIT)).contains("name=\"seed\" value=\"7\""));
  }

  @Test
  void invalidRunFailsNamingTheAnomalyAndTheReport() throws Exception {
    StoredRuns.Stored run = StoredRuns.write(tmp.resolve("invalid"), 9, true, "</failure>&\u0001", 4);
    Document doc = parse(JUnitXml.write(run.dir()));
    Element failure = (Element) doc.getElementsByTagName("failure").item(0);
    String message = failure.getAttribute("message");
    assertTrue(message.startsWith("non-linearizable history: not linearizable"), message);
    assertTrue(message.contains("report " + run.dir().toAbsolutePath().resolve(Store.REPORT)), message);
    assertTrue(failure.getTextContent().contains("faultline repro"), failure.getTextContent());
    assertEquals("1", ((Element) doc.getElementsByTagName("testsuite").item(0)).getAttribute("failures"));
  }

  @Test
  void unknownAndUncheckedRunsAreErrorsNotPasses() throws Exception {
    Path dir = StoredRuns.notRun(tmp.resolve("notrun"), "n1 did not start");
    Document doc = parse(JUnitXml.write(dir));
    assertEquals(1, doc.getElementsByTagName("error").getLength());
    assertTrue(((Element) doc.getElementsByTagName("error").item(0)).getAttribute("message").contains("not run"));
    assertTrue(doc.getElementsByTagName("system-err").item(0).getTextContent().contains("n1 did not start"));

    Path unknown = StoredRuns.notRun(tmp.resolve("unknown"), "unused");
    Files.writeString(unknown.resolve(Store.RESULTS), "{\"valid\":\"unknown\",\"summary\":\"timed out\",\"seed\":4,"
        + "\"checked\":true,\"checks\":{\"set\":{\"checker\":\"set-full\",\"valid\":\"unknown\",\"summary\":\"timed out\"}}}");
    Document u = parse(JUnitXml.write(unknown));
    assertEquals(1, u.getElementsByTagName("error").getLength());
    assertEquals(0, u.getElementsByTagName("failure").getLength());
  }
}
