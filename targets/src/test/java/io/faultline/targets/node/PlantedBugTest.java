package io.faultline.targets.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlantedBugTest {
  enum Toy implements PlantedBug {
    LOSE("lose"),
    LIE("lie");

    private final String wireName;

    Toy(String wireName) {
      this.wireName = wireName;
    }

    @Override
    public String wireName() {
      return wireName;
    }
  }

  @Test
  void namesAndParsingAreSharedByEveryTarget() {
    assertEquals(List.of("lose", "lie"), PlantedBug.names(Toy.class));
    assertEquals(EnumSet.of(Toy.LIE), PlantedBug.parse(Toy.class, "toy", Set.of("lie")));
    assertEquals("unknown toy bug 'a' (known: lose, lie)",
        assertThrows(IllegalArgumentException.class, () -> PlantedBug.parse(Toy.class, "toy", Set.of("z", "a"))).getMessage(),
        "the first unknown in sorted order, every time");
  }

  @Test
  void settingsRefuseUnknownNamesAndBadNumbersInOneLine() {
    Settings s = Settings.of("toy", Map.of("n", "3", "f", "0.5"), List.of("n", "f", "m"));
    assertEquals(3, s.positive("n", 1));
    assertEquals(7, s.positive("m", 7));
    assertEquals(0.5, s.fraction("f", 0.1));
    assertEquals("unknown toy setting 'b' (known: n)",
        assertThrows(IllegalArgumentException.class, () -> Settings.of("toy", Map.of("c", "1", "b", "1"), List.of("n")))
            .getMessage());
    assertEquals("toy setting n must be a whole number >= 1, got '0'",
        assertThrows(IllegalArgumentException.class, () -> Settings.of("toy", Map.of("n", "0"), List.of("n")).positive("n", 1))
            .getMessage());
    assertEquals("toy setting f must be a fraction in [0, 1), got '1'",
        assertThrows(IllegalArgumentException.class, () -> Settings.of("toy", Map.of("f", "1"), List.of("f")).fraction("f", 0))
            .getMessage());
  }
}
