package io.rehoboam.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.testsupport.PostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The module README's cluster example, taken from the README itself, compiles and runs. */
@ExtendWith(PostgresExtension.class)
class ReadmeClusterExampleTest {
  @TempDir Path dir;

  @Test
  void theClusterExampleCompilesAndRunsOnPostgres(PostgresServer pg) throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int section = readme.indexOf("## Leases");
    assertTrue(section >= 0, "the README has a Leases section");
    Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(m.find(section), "the Leases section has a java block");
    Path file = dir.resolve("ClusterExample.java");
    Files.writeString(file, m.group(1));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int rc =
        javac.run(
            null,
            diagnostics,
            diagnostics,
            "-classpath",
            System.getProperty("java.class.path"),
            "-d",
            dir.toString(),
            "--release",
            "17",
            file.toString());
    assertEquals(0, rc, "the README example does not compile:\n" + diagnostics);

    String url = pg.jdbcUrl(pg.createDatabase("readme"));
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      Method main = loader.loadClass("ClusterExample").getMethod("main", String[].class);
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      main.invoke(null, (Object) new String[] {url, PostgresServer.USER});
    } finally {
      System.setOut(original);
    }
    assertTrue(
        out.toString(StandardCharsets.UTF_8).contains("server-a runs [arb-1, arb-eu]"),
        out.toString(StandardCharsets.UTF_8));
  }
}
