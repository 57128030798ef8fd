package io.rehoboam.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No module uses another module's {@code internal} packages: each module's public packages are its
 * contract. Checked on the compiled classes of every production module of the reactor (built before
 * this one); the benchmarks, built after this module, are checked on their sources.
 */
class ModuleBoundariesTest {
  /** Module directory -> the package its classes live in. */
  static final Map<String, String> MODULES = new LinkedHashMap<>();

  static {
    MODULES.put("rehoboam-bots-spi", "io.rehoboam.spi");
    MODULES.put("rehoboam-core", "io.rehoboam.core");
    MODULES.put("rehoboam-journal", "io.rehoboam.journal");
    MODULES.put("rehoboam-test-support", "io.rehoboam.testsupport");
    MODULES.put("rehoboam-evm", "io.rehoboam.evm");
    MODULES.put("rehoboam-bot-process", "io.rehoboam.bot.process");
    MODULES.put("rehoboam-bot-layer2", "io.rehoboam.bot.layer2");
    MODULES.put("rehoboam-http-adapter", "io.rehoboam.http");
    MODULES.put("rehoboam-backtest", "io.rehoboam.backtest");
    MODULES.put("rehoboam-cli", "io.rehoboam.cli");
    MODULES.put("rehoboam-notify", "io.rehoboam.notify");
    MODULES.put("rehoboam-bot-ai-analyst", "io.rehoboam.bot.analyst");
    MODULES.put("examples", "io.rehoboam.examples");
  }

  static Path root() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("examples")) ? here : here.getParent();
  }

  /** The violations of the rule among {@code classes}, one line each. */
  static List<String> violations(JavaClasses classes) {
    List<String> out = new ArrayList<>();
    for (String module : MODULES.values()) {
      List<String> others = new ArrayList<>();
      for (String other : MODULES.values()) {
        if (!other.equals(module) && !other.startsWith(module + ".")) {
          others.add(other + "..internal..");
        }
      }
      EvaluationResult result =
          noClasses()
              .that()
              .resideInAPackage(module + "..")
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage(others.toArray(String[]::new))
              .allowEmptyShould(true)
              .evaluate(classes);
      out.addAll(result.getFailureReport().getDetails());
    }
    return out;
  }

  @Test
  void noModuleImportsAnotherModulesInternalPackages() {
    List<Path> compiled = new ArrayList<>();
    for (String module : MODULES.keySet()) {
      Path classes = root().resolve(module).resolve("target/classes");
      assertTrue(Files.isDirectory(classes), classes + " is not built");
      compiled.add(classes);
    }
    JavaClasses classes = new ClassFileImporter().importPaths(compiled);
    assertTrue(classes.size() > 300, "imported only " + classes.size() + " classes");
    assertEquals(List.of(), violations(classes));
  }

  @Test
  void theBenchmarksMeasureThroughPublicApisOnly() throws java.io.IOException {
    Path sources = root().resolve("benchmarks/src/main/java");
    List<String> offenders = new ArrayList<>();
    try (var files = Files.walk(sources)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        for (String line : Files.readAllLines(f)) {
          String code = line.strip();
          if (!code.startsWith("*")
              && !code.startsWith("//")
              && code.matches(".*\\bio\\.rehoboam\\.[\\w.]*\\.internal\\.[A-Za-z].*")) {
            offenders.add(root().relativize(f) + ": " + line);
          }
        }
      }
    }
    assertEquals(List.of(), offenders);
  }

  @Test
  void theRuleCatchesAnImportOfCoreInternalFromAnotherModule() {
    // A class of this module that uses core's internal thread factory, as evm once did.
    JavaClasses offender =
        new ClassFileImporter().importClasses(UsesCoreInternal.class, ModuleBoundariesTest.class);
    List<String> found = violations(offender);
    assertFalse(found.isEmpty(), "the rule let a core.internal import through");
    assertTrue(
        found.get(0).contains("io.rehoboam.core.internal.NamedThreadFactory"), found.toString());
  }

  /** Deliberately breaks the rule, for the test above only (test code, never shipped). */
  static final class UsesCoreInternal {
    Thread thread(Runnable r) {
      return new io.rehoboam.core.internal.NamedThreadFactory("x").newThread(r);
    }
  }
}
