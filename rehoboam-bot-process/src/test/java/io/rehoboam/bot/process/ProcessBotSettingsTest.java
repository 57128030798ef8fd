package io.rehoboam.bot.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProcessBotSettingsTest {

  private static ProcessBotSettings parse(Map<String, ?> values) {
    return ProcessBotSettings.parse(Settings.of(values));
  }

  private static String error(Map<String, ?> values) {
    RehoboamException e = assertThrows(RehoboamException.class, () -> parse(values));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    return e.getMessage();
  }

  private static Map<String, Object> with(String name, Object value) {
    Map<String, Object> m = new HashMap<>();
    m.put("command", List.of("bot"));
    m.put(name, value);
    return m;
  }

  @Test
  void defaults() {
    ProcessBotSettings s = parse(Map.of("command", List.of("python3", "bot.py")));
    assertEquals(List.of("python3", "bot.py"), s.command());
    assertEquals("python3 bot.py", s.commandLine());
    assertNull(s.workingDir());
    assertEquals(Map.of(), s.env());
    assertEquals(StopSignal.TERM, s.stopSignal());
    assertEquals(Duration.ofSeconds(2), s.stopGrace());
    assertEquals(Duration.ofSeconds(10), s.stopTimeout());
    assertEquals(Set.of(0), s.expectedExitCodes());
    assertEquals(1 << 20, s.maxLineBytes());
    assertNull(s.logDir());
    assertEquals(10L << 20, s.logMaxBytes());
    assertEquals(5, s.logFiles());
    assertTrue(s.useSetsid());
    assertEquals(Duration.ofSeconds(30), s.opportunityTtl());
  }

  @Test
  void everySettingIsRead() {
    Map<String, Object> m = new HashMap<>();
    m.put("command", "node 'my bot.js' --fast");
    m.put("working_dir", "/tmp");
    m.put("env", Map.of("RPC_URL", "http://localhost", "LEVEL", 3));
    m.put("secret_env", Map.of("API_KEY", "k-1234"));
    m.put("pass_env", "AWS_*, HOME");
    m.put("stop_signal", "sigint");
    m.put("stop_grace", "500ms");
    m.put("stop_timeout", "3s");
    m.put("expected_exit_codes", List.of(0, 75));
    m.put("max_line_bytes", 4096);
    m.put("log_dir", "/var/log/bots");
    m.put("log_max_bytes", "65536");
    m.put("log_files", 0);
    m.put("use_setsid", "false");
    m.put("opportunity_ttl", "12s");
    ProcessBotSettings s = parse(m);
    assertEquals(List.of("node", "my bot.js", "--fast"), s.command());
    assertEquals("node 'my bot.js' --fast", s.commandLine());
    assertEquals(Path.of("/tmp"), s.workingDir());
    assertEquals(Map.of("RPC_URL", "http://localhost", "LEVEL", "3"), s.env());
    assertEquals(Map.of("API_KEY", "k-1234"), s.secretEnv());
    assertEquals(List.of("AWS_*", "HOME"), s.passEnv());
    assertEquals(StopSignal.INT, s.stopSignal());
    assertEquals(Duration.ofMillis(500), s.stopGrace());
    assertEquals(Duration.ofSeconds(3), s.stopTimeout());
    assertEquals(Set.of(0, 75), s.expectedExitCodes());
    assertEquals(4096, s.maxLineBytes());
    assertEquals(Path.of("/var/log/bots"), s.logDir());
    assertEquals(65536, s.logMaxBytes());
    assertEquals(0, s.logFiles());
    assertFalse(s.useSetsid());
    assertEquals(Duration.ofSeconds(12), s.opportunityTtl());
  }

  @Test
  void aShellCommandRunsThroughShOnlyWhenAsked() {
    ProcessBotSettings s = parse(Map.of("command", "./bot.sh | tee out.log", "shell", true));
    assertEquals(List.of("/bin/sh", "-c", "./bot.sh | tee out.log"), s.command());
    ProcessBotSettings plain = parse(Map.of("command", "./bot.sh | tee out.log"));
    assertEquals(List.of("./bot.sh", "|", "tee", "out.log"), plain.command(), "no shell: words");
    assertTrue(error(Map.of("command", List.of("a", "b"), "shell", true)).startsWith("command:"));
  }

  @Test
  void wordsSplitLikeAShellWithoutExpanding() {
    assertEquals(
        List.of("a b", "c\"d", "$HOME", "e f", "", "g'h"),
        ProcessBotSettings.splitWords("'a b' \"c\\\"d\" '$HOME' e\\ f '' \"g'h\""));
    List<String> words = List.of("python3", "my bot.py", "it's", "", "$x", "a\"b");
    assertEquals(words, ProcessBotSettings.splitWords(ProcessBotSettings.quote(words)));
  }

  @Test
  void wrongSettingsAreNamed() {
    assertEquals("command: is required", error(Map.of()));
    assertTrue(error(Map.of("command", "  ")).startsWith("command: is required"));
    assertTrue(error(Map.of("command", "'open")).contains("unclosed single quote"));
    assertTrue(error(Map.of("command", "\"open")).contains("unclosed double quote"));
    assertTrue(error(Map.of("command", Map.of("a", 1))).startsWith("command:"));
    assertTrue(error(with("comand", "x")).startsWith("comand: unknown setting (known: command"));
    assertTrue(error(with("stop_signal", "BOOM")).startsWith("stop_signal: expected one of"));
    assertTrue(error(with("stop_timeout", "soon")).startsWith("stop_timeout: expected"));
    assertTrue(error(with("expected_exit_codes", "0,x")).contains("'x' is not an exit code"));
    assertTrue(error(with("expected_exit_codes", List.of(256))).contains("0..255"));
    assertTrue(error(with("max_line_bytes", 10)).startsWith("max_line_bytes: must be 256.."));
    assertTrue(error(with("log_max_bytes", 100)).startsWith("log_max_bytes:"));
    assertTrue(error(with("log_files", 101)).startsWith("log_files:"));
    assertTrue(error(with("env", "A=1")).startsWith("env: expected a section"));
    assertTrue(error(with("env", Map.of("1BAD", "x"))).contains("'1BAD' is not a valid variable"));
    assertTrue(error(with("env", Map.of("REHOBOAM_BOT_ID", "x"))).contains("set by Rehoboam"));
    assertTrue(error(with("env", Map.of("A", List.of(1)))).contains("single value"));
    assertTrue(error(with("pass_env", List.of("A B"))).startsWith("pass_env:"));
    assertTrue(error(with("use_setsid", "maybe")).startsWith("use_setsid: expected true or false"));
    assertTrue(
        error(with("opportunity_ttl", "0s")).startsWith("opportunity_ttl: must be positive"));
    Map<String, Object> twice = with("env", Map.of("A", "1"));
    twice.put("secret_env", Map.of("A", "2"));
    assertTrue(error(twice).contains("variable A is also in env"));
  }

  @Test
  void secretValuesAreNotEchoedInErrors() {
    String message = error(with("stop_timeout", "hunter2-secret"));
    assertFalse(message.contains("hunter2"), message);
  }

  @Test
  void theProviderMarksSecretEnvSensitiveAndChecksSettingsWhenBuilding() {
    ProcessBotProvider provider = new ProcessBotProvider();
    assertEquals("process", provider.type());
    assertEquals(Set.of("secret_env"), provider.settingsSchema().sensitiveNames());
  }

  @Test
  void stopSignalsParseAndDescribe() {
    assertEquals(StopSignal.HUP, StopSignal.parse(" SIGHUP ", "x"));
    assertEquals(StopSignal.USR2, StopSignal.parse("usr2", "x"));
    assertEquals(15, StopSignal.TERM.number());
    assertEquals("SIGKILL", StopSignal.describe(9));
    assertEquals("SIGSEGV", StopSignal.describe(11));
    assertEquals("signal 30", StopSignal.describe(30));
  }
}
