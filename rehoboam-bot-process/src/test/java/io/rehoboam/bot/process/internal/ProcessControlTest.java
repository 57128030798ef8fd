package io.rehoboam.bot.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessControlTest {
  @TempDir Path dir;

  private static boolean contains(String environ, String entry) {
    return ProcessControl.containsEntry(
        environ.getBytes(StandardCharsets.UTF_8), entry.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anEnvironmentEntryMatchesOnlyWhole() {
    assertTrue(contains("A=1\0M=x\0B=2\0", "M=x"));
    assertTrue(contains("M=x\0", "M=x"));
    assertTrue(contains("A=1\0M=x", "M=x"));
    assertFalse(contains("A=1\0M=xy\0", "M=x"), "a longer value");
    assertFalse(contains("XM=x\0", "M=x"), "a longer name");
    assertFalse(contains("A=M=x\0", "M=x"), "inside a value");
    assertFalse(contains("", "M=x"));
  }

  @Test
  void programsAreFoundLikeExecvpDoes() throws Exception {
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Path tool = Files.writeString(bin.resolve("tool"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path plain = Files.writeString(bin.resolve("plain"), "data");
    Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));

    assertEquals(Optional.of(tool), ProcessControl.findExecutable("tool", "/nowhere:" + bin, null));
    assertEquals(Optional.empty(), ProcessControl.findExecutable("plain", bin.toString(), null));
    assertEquals(Optional.empty(), ProcessControl.findExecutable("tool", "/nowhere", null));
    assertEquals(Optional.of(tool), ProcessControl.findExecutable("bin/tool", null, dir));
    assertEquals(Optional.of(tool), ProcessControl.findExecutable(tool.toString(), null, null));
    assertEquals(
        Optional.empty(), ProcessControl.findExecutable("./bin", null, dir), "a directory");
  }
}
