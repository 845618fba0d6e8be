package io.faultline.checkers.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.HistoryFormat;
import io.faultline.checkers.history.HistoryReader;
import io.faultline.checkers.history.SharedHistories;
import io.faultline.checkers.model.Model;
import io.faultline.checkers.model.ModelSpec;
import io.faultline.checkers.model.Semantics;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every history in ../shared/histories gets the verdict its MANIFEST.tsv expects: the verdicts that
 * Knossos's and Porcupine's own tests assert, on histories nobody here wrote.
 */
class SharedHistoryVerdictsTest {
  private static final CheckContext CTX = CheckContext.defaults().withTimeout(Duration.ofSeconds(60));

  @TestFactory
  Stream<DynamicTest> everySharedHistoryGetsItsExpectedVerdict() throws IOException {
    List<SharedHistories.Entry> entries = SharedHistories.manifest();
    return entries.stream().map(e -> DynamicTest.dynamicTest(e.path(), () -> {
      HistoryFormat format = SharedHistories.formatOf(e.format());
      History h = HistoryReader.read(e.file(), format);
      Semantics semantics = format.defaultSemantics();
      Model model = ModelSpec.parse(e.model(), semantics);
      Analysis a = new LinearizabilityChecker(model, semantics).analyze(CTX, h);
      Validity expected = Boolean.parseBoolean(e.expected()) ? Validity.TRUE : Validity.FALSE;
      assertEquals(expected, a.validity(), e.path() + " (" + e.model() + ")");
      if (expected == Validity.FALSE) {
        assertFalse(a.counterexamples().isEmpty(), "an invalid verdict comes with a counterexample");
        assertNotNull(a.counterexamples().get(0).failing());
      }
    }));
  }
}
