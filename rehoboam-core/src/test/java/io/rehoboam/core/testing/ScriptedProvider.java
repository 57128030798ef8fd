package io.rehoboam.core.testing;

import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.BotSpec;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Builds {@link ScriptedBot}s of type {@code scripted} (or another) and keeps every instance, so a
 * test can script each one before the engine starts it.
 */
public final class ScriptedProvider implements BotProvider {
  private final String type;
  private final Set<String> sensitive;
  public final List<ScriptedBot> instances = new CopyOnWriteArrayList<>();

  /** Further settings the type declares (none sensitive), for tests that need their own. */
  public final List<io.rehoboam.spi.SettingSpec> declared = new CopyOnWriteArrayList<>();

  /** Called with each new instance before the engine calls start(). */
  public volatile Consumer<ScriptedBot> script = b -> {};

  public ScriptedProvider() {
    this("scripted", Set.of());
  }

  public ScriptedProvider(String type, Set<String> sensitive) {
    this.type = type;
    this.sensitive = sensitive;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public int spiVersion() {
    return io.rehoboam.spi.Spi.VERSION;
  }

  /** Its sensitive names, as secret texts, and the texts {@link #SETTINGS} names. */
  @Override
  public io.rehoboam.spi.SettingsSchema settingsSchema() {
    List<io.rehoboam.spi.SettingSpec> specs = new java.util.ArrayList<>();
    for (String name : SETTINGS) {
      specs.add(io.rehoboam.spi.SettingSpec.of(name, io.rehoboam.spi.SettingType.STRING, name));
    }
    specs.addAll(declared);
    for (String name : sensitive) {
      specs.add(
          io.rehoboam.spi.SettingSpec.of(name, io.rehoboam.spi.SettingType.STRING, "a secret")
              .secret());
    }
    return io.rehoboam.spi.SettingsSchema.of(specs);
  }

  /** The ordinary settings a scripted bot takes (tests put what they like in them). */
  public static final List<String> SETTINGS =
      List.of("note", "label", "interval", "mode", "min_profit", "venue");

  @Override
  public Bot create(BotSpec spec, BotContext context) {
    ScriptedBot bot = new ScriptedBot(context, instances.size() + 1);
    script.accept(bot);
    synchronized (this) {
      instances.add(bot);
      notifyAll();
    }
    return bot;
  }

  /** Waits until the engine has built instance number {@code n} (1-based) and returns it. */
  public synchronized ScriptedBot awaitInstance(int n) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (instances.size() < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("instance " + n + " was never built");
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return instances.get(n - 1);
  }

  public ScriptedBot last() {
    return instances.get(instances.size() - 1);
  }
}
