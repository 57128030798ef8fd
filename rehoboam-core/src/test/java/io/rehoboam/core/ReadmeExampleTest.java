package io.rehoboam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's embedding example, taken from README.md itself, compiles and runs as shown. */
class ReadmeExampleTest {
  @TempDir Path dir;

  @Test
  void theEmbeddingExampleInTheReadmeCompilesAndRuns() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int section = readme.indexOf("## Embedding");
    assertTrue(section >= 0, "README.md has an Embedding section");
    Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(m.find(section), "the Embedding section has a java block");
    String source = m.group(1);
    assertTrue(source.lines().count() <= 40, "the example stays short");

    Path file = dir.resolve("EmbeddingExample.java");
    Files.writeString(file, source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int rc =
        javac.run(
            null,
            diagnostics,
            diagnostics,
            List.of(
                    "-classpath",
                    System.getProperty("java.class.path"),
                    "-d",
                    dir.toString(),
                    "-Xlint:all",
                    "-Werror",
                    "--release",
                    "17",
                    file.toString())
                .toArray(String[]::new));
    assertEquals(0, rc, "README example does not compile:\n" + diagnostics);

    PrintStream originalOut = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      Method main = loader.loadClass("EmbeddingExample").getMethod("main", String[].class);
      main.invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(originalOut);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("first execution: true"), printed);
    assertTrue(printed.contains("found cv-") || printed.contains("found cy-"), printed);
    assertTrue(printed.contains("executed "), "an execution was printed: " + printed);
    assertTrue(printed.contains("trader total profit $"), printed);
  }
}
