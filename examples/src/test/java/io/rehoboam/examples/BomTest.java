package io.rehoboam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The BOM names every library module of the build, at the build's version, and nothing else; it
 * does not inherit the parent, so importing it pins no third-party version.
 */
class BomTest {
  /** Modules that are not libraries a user depends on. */
  private static final List<String> NOT_LIBRARIES =
      List.of("rehoboam-bom", "examples", "benchmarks");

  @Test
  void theBomListsEveryLibraryModuleAtTheProjectVersion() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    String parent = Files.readString(root.resolve("pom.xml"));
    String bom = Files.readString(root.resolve("rehoboam-bom/pom.xml"));

    TreeSet<String> libraries = new TreeSet<>();
    for (String module : all(parent, "<module>([^<]+)</module>")) {
      if (!NOT_LIBRARIES.contains(module)) {
        libraries.add(artifactId(Files.readString(root.resolve(module).resolve("pom.xml"))));
      }
    }
    TreeSet<String> listed =
        new TreeSet<>(all(bom, "<artifactId>(rehoboam-(?!bom)[^<]+)</artifactId>"));
    assertEquals(libraries, listed, "the BOM against the build's library modules");
    assertFalse(bom.contains("<parent>"), "the BOM must not inherit third-party versions");
    assertEquals(version(parent), version(bom), "the BOM's own version");
    String managed =
        bom.substring(
            bom.indexOf("<dependencyManagement>"), bom.indexOf("</dependencyManagement>"));
    for (String v : all(managed, "<version>([^<]+)</version>")) {
      assertEquals("${project.version}", v, "every entry at the BOM's version");
    }
  }

  private static String artifactId(String pom) {
    // The module's own artifactId: the first one after its parent block.
    String own = pom.replaceFirst("(?s)<parent>.*?</parent>", "");
    return all(own, "<artifactId>([^<]+)</artifactId>").get(0);
  }

  private static String version(String pom) {
    String own = pom.replaceFirst("(?s)<parent>.*?</parent>", "");
    return all(own, "<version>([^<]+)</version>").get(0);
  }

  private static List<String> all(String text, String regex) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      out.add(m.group(1).trim());
    }
    return out;
  }
}
