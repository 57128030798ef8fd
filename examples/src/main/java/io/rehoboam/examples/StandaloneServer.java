package io.rehoboam.examples;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rehoboam.backtest.jobs.BacktestJobSettings;
import io.rehoboam.backtest.jobs.BacktestJobs;
import io.rehoboam.backtest.recording.SourceRecorders;
import io.rehoboam.bot.analyst.AiAnalystProvider;
import io.rehoboam.bot.process.ProcessBotProvider;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotOwnership;
import io.rehoboam.core.BotStatus;
import io.rehoboam.core.config.BotConfig;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.http.ApiKey;
import io.rehoboam.http.HttpAdapter;
import io.rehoboam.http.ServerSettings;
import io.rehoboam.journal.JdbcJournal;
import io.rehoboam.journal.JournalSettings;
import io.rehoboam.journal.cluster.ClusterBots;
import io.rehoboam.journal.cluster.ClusterEvents;
import io.rehoboam.journal.cluster.ClusterMember;
import io.rehoboam.journal.cluster.ClusterOwnership;
import io.rehoboam.journal.cluster.ClusterSettings;
import io.rehoboam.journal.cluster.Placement;
import io.rehoboam.notify.NotificationSettings;
import io.rehoboam.notify.Notifier;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The standalone Rehoboam server: an {@link ArbitrageService} from a YAML configuration behind the
 * HTTP adapter. Without {@code --config} it runs the embedded default ({@value #DEFAULT_CONFIG}): a
 * simulated market, the seed's bots {@code live_monitor} and {@code real_executor}, paper trading.
 *
 * <p>SIGINT or SIGTERM stop it gracefully: requests get 503, every bot is stopped (in parallel,
 * within {@code server.shutdown_timeout}), WebSocket clients are closed with a reason, and the
 * process exits with 0. A second signal exits at once.
 */
public final class StandaloneServer {
  /** The embedded default configuration, a class path resource. */
  public static final String DEFAULT_CONFIG = "rehoboam-server.yaml";

  /** Exit code for a bad command line or configuration. */
  public static final int EXIT_USAGE = 2;

  /**
   * Where the journal lives unless {@code --data-dir} or {@code REHOBOAM_DATA_DIR} says otherwise,
   * relative to the working directory.
   */
  public static final String DEFAULT_DATA_DIR = "rehoboam-data";

  /** Exit code when the server cannot start for another reason (for example the port is taken). */
  public static final int EXIT_FAILURE = 1;

  /** How long processes left by a killed server get after SIGTERM before SIGKILL. */
  static final Duration LEFTOVER_GRACE = Duration.ofSeconds(5);

  static final String USAGE =
      """
      Usage: java -jar rehoboam-server.jar [options]

      Runs the Rehoboam arbitrage service with its REST API and WebSocket.

      Options:
        --config FILE   YAML configuration (default: the embedded %s: a simulated
                        market, the bots live_monitor and real_executor, paper trading)
        --port N        port to listen on (default: server.port of the configuration, 8000; 0 = any)
        --bind ADDR     address to listen on (default: server.bind, 127.0.0.1; beyond loopback
                        only with API keys in server.keys)
        --data-dir DIR  where the journal of executions and bot states is kept across restarts
                        (default: $REHOBOAM_DATA_DIR, else ./%s)
        --hash-key      read an API key from standard input and print the hash to put in
                        server.keys (hash: "sha256:..."), then exit
        --help          print this help and exit

      Environment: ARB_<BOT_ID>__<SETTING> overrides a bot's setting, for example
      ARB_LIVE_MONITOR__MIN_PROFIT=5. Stop with Ctrl+C (SIGINT) or SIGTERM.
      """
          .formatted(DEFAULT_CONFIG, DEFAULT_DATA_DIR);

  private final ArbitrageService service;
  private final HttpAdapter http;
  private final ServerSettings settings;
  private final Path dataDir;
  private final SourceRecorders recorders;
  private final BacktestJobs backtests;
  private final Notifier notifier;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private ClusterMember cluster;
  private ClusterEvents clusterEvents;

  private StandaloneServer(
      ArbitrageService service,
      HttpAdapter http,
      ServerSettings settings,
      Path dataDir,
      SourceRecorders recorders,
      BacktestJobs backtests,
      Notifier notifier) {
    this.recorders = recorders;
    this.backtests = backtests;
    this.notifier = notifier;
    this.dataDir = dataDir;
    this.service = service;
    this.http = http;
    this.settings = settings;
  }

  /** The command line, parsed. */
  record Options(
      Path config, Integer port, String bind, Path dataDir, boolean help, boolean hashKey) {

    /**
     * @throws RehoboamException INVALID_ARGUMENT naming the option
     */
    static Options parse(String[] args) {
      Path config = null;
      Integer port = null;
      String bind = null;
      Path dataDir = null;
      boolean help = false;
      boolean hashKey = false;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--help", "-h" -> help = true;
          case "--hash-key" -> hashKey = true;
          case "--config" -> config = Path.of(value(args, ++i, arg));
          case "--port" -> {
            String text = value(args, ++i, arg);
            try {
              port = Integer.parseInt(text);
            } catch (NumberFormatException e) {
              port = -1;
            }
            if (port < 0 || port > 65535) {
              throw RehoboamException.invalid(
                  arg, "expected a port 0..65535 but was '" + text + "'");
            }
          }
          case "--bind" -> bind = value(args, ++i, arg);
          case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
          default -> throw RehoboamException.invalid(arg, "unknown option (see --help)");
        }
      }
      return new Options(config, port, bind, dataDir, help, hashKey);
    }

    private static String value(String[] args, int index, String option) {
      if (index >= args.length || args[index].startsWith("--")) {
        throw RehoboamException.invalid(option, "needs a value");
      }
      return args[index];
    }
  }

  /**
   * Reads the configuration, builds and initializes the service (bots marked autostart start) and
   * starts listening.
   *
   * @throws RehoboamException INVALID_CONFIG naming the file and field of a bad configuration;
   *     INVALID_ARGUMENT for a bad option value; INTERNAL when the address cannot be bound
   */
  static StandaloneServer start(Options options, Map<String, String> env) {
    return start(options, env, http -> {});
  }

  /**
   * As {@link #start(Options, Map)}; {@code listening} is called once the server answers and before
   * any bot starts.
   */
  static StandaloneServer start(
      Options options,
      Map<String, String> env,
      java.util.function.Consumer<HttpAdapter> listening) {
    RehoboamConfig loaded =
        options.config() == null
            ? ConfigLoader.parse(defaultConfig(), "classpath:" + DEFAULT_CONFIG, env)
            : ConfigLoader.load(options.config(), env);
    // A source's "record: DIR" is the server's, not its provider's: see SourceRecorders.
    RehoboamConfig config = SourceRecorders.withoutRecordSettings(loaded);
    ServerSettings settings = ServerSettings.from(config, env);
    if (options.port() != null) {
      settings = settings.withPort(options.port());
    }
    if (options.bind() != null) {
      settings = settings.withBind(options.bind());
    }
    // Refuse an address beyond loopback without API keys before any bot starts.
    settings.listenAddress();
    // Backtests over the API when server.backtests names a recordings directory.
    BacktestJobSettings backtestSettings =
        BacktestJobSettings.from(
            config.server().section("backtests"), config.source() + ": server.backtests");
    NotificationSettings notifications =
        NotificationSettings.from(config.server().section("notifications"), env);
    Path dataDir = dataDir(options, env);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    // server.journal.url: a database (PostgreSQL) instead of the H2 file of the data directory.
    JournalSettings journalSettings =
        JournalSettings.from(
            config.server().section("journal"), config.source() + ": server.journal");
    ClusterSettings clusterSettings =
        ClusterSettings.from(
            config.server().section("cluster"), config.source() + ": server.cluster");
    if (clusterSettings.enabled() && !journalSettings.external()) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          config.source()
              + ": server.cluster needs a shared PostgreSQL journal (server.journal.url)");
    }
    // The journal locks the data directory: from here on no other server owns its processes.
    JdbcJournal journal = journalSettings.open(dataDir, Clock.systemUTC());
    ClusterMember member = null;
    if (clusterSettings.enabled()) {
      try {
        member =
            ClusterMember.join(
                journalSettings.url(),
                journalSettings.properties(),
                clusterSettings.serverId(),
                clusterSettings.tags(),
                clusterSettings.lease(),
                Clock.systemUTC());
        journal.fencedBy(member);
      } catch (RuntimeException e) {
        journal.close();
        throw e;
      }
    }
    ClusterMember cluster = member;
    // Bot programs carry the data directory as their owner marker; what a killed server left
    // running is ended before any bot starts.
    ProcessBotProvider processBots = new ProcessBotProvider(dataDir.toString());
    // The AI analyst sees executions, PnL and risk, and publishes analyses, through its service.
    AiAnalystProvider analyst = new AiAnalystProvider();
    ArbitrageService service;
    try {
      processBots.reapLeftovers(LEFTOVER_GRACE);
      service =
          ArbitrageService.builder()
              .config(config)
              .env(env)
              .provider(processBots)
              .provider(analyst)
              .closeTimeout(settings.shutdownTimeout())
              .journal(journal)
              .ownership(
                  cluster == null
                      ? BotOwnership.ALL
                      : new ClusterOwnership(cluster, clusterSettings::placementOf))
              .meterRegistry(registry)
              .build();
    } catch (RuntimeException e) {
      if (cluster != null) {
        cluster.close();
      }
      journal.close();
      throw e;
    }
    analyst.bind(service);
    // Listen before any bot starts (a taken port fails start-up first), but with the bots
    // registered, so the first answer already lists them.
    BacktestJobs backtests = backtestSettings == null ? null : new BacktestJobs(backtestSettings);
    HttpAdapter.Builder adapter =
        HttpAdapter.builder(service).settings(settings).meterRegistry(registry);
    if (backtests != null) {
      adapter.backtests(backtests);
    }
    if (cluster != null) {
      adapter.cluster(() -> clusterHealth(cluster));
    }
    HttpAdapter http = adapter.build();
    try {
      service.prepare();
      http.start();
      listening.accept(http);
      // Notifications subscribe before the bots start, so their first errors are sent too.
      Notifier notifier =
          notifications.isEmpty()
              ? null
              : Notifier.start(service, notifications, Clock.systemUTC());
      try {
        service.initialize();
        ClusterEvents clusterEvents = null;
        if (cluster != null) {
          // Lease changes of every server reach this one's WebSocket clients (LISTEN/NOTIFY).
          clusterEvents =
              ClusterEvents.listen(
                  journalSettings.url(),
                  journalSettings.properties(),
                  payload -> service.publishSystemEvent("cluster", payload));
          joinCluster(cluster, clusterSettings, config, service, journal, registry);
        }
        SourceRecorders recorders = SourceRecorders.start(loaded, service, Clock.systemUTC());
        StandaloneServer server =
            new StandaloneServer(service, http, settings, dataDir, recorders, backtests, notifier);
        server.cluster = cluster;
        server.clusterEvents = clusterEvents;
        return server;
      } catch (RuntimeException e) {
        if (notifier != null) {
          notifier.close();
        }
        throw e;
      }
    } catch (RuntimeException e) {
      if (cluster != null) {
        cluster.close();
      }
      http.close();
      service.close();
      if (backtests != null) {
        backtests.close();
      }
      throw e;
    }
  }

  /**
   * Declares the service's bots (with their placement) to the cluster, lets their leases start and
   * stop them, shows membership and ownership as metrics, and starts the heartbeat.
   */
  private static void joinCluster(
      ClusterMember cluster,
      ClusterSettings clusterSettings,
      RehoboamConfig config,
      ArbitrageService service,
      JdbcJournal journal,
      PrometheusMeterRegistry registry) {
    Map<String, Placement> bots = new java.util.TreeMap<>();
    for (BotStatus bot : service.bots()) {
      bots.put(bot.botId(), clusterSettings.placementOf(bot.botId()));
    }
    cluster.bots(bots);
    cluster.listener(
        new ClusterBots(
            service,
            journal,
            cluster,
            bot -> config.bot(bot).map(BotConfig::autostart).orElse(false)));
    io.micrometer.core.instrument.Gauge.builder(
            "rehoboam_cluster_members", cluster, c -> c.lastMembers().size())
        .description("servers of the cluster alive at the last heartbeat")
        .tag("server_id", cluster.serverId())
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder(
            "rehoboam_cluster_owned_bots", cluster, c -> c.owned().size())
        .description("bots whose lease this server holds")
        .tag("server_id", cluster.serverId())
        .register(registry);
    cluster.start();
  }

  /** The cluster as {@code /health} shows it: members, ownership, the last heartbeat. */
  private static Map<String, Object> clusterHealth(ClusterMember cluster) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("server_id", cluster.serverId());
    out.put("members", cluster.lastMembers().stream().map(m -> m.serverId()).toList());
    out.put("owned", cluster.owned());
    out.put("lease_ms", cluster.lease().toMillis());
    out.put(
        "last_heartbeat",
        cluster.lastBeat() == 0
            ? null
            : java.time.Instant.ofEpochMilli(cluster.lastBeat()).toString());
    out.put("last_error", cluster.lastError());
    return out;
  }

  /** {@code --data-dir}, else {@code REHOBOAM_DATA_DIR}, else {@value #DEFAULT_DATA_DIR}. */
  static Path dataDir(Options options, Map<String, String> env) {
    String fromEnv = env.get("REHOBOAM_DATA_DIR");
    Path dir =
        options.dataDir() != null
            ? options.dataDir()
            : fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : Path.of(DEFAULT_DATA_DIR);
    return dir.toAbsolutePath().normalize();
  }

  static String defaultConfig() {
    try (InputStream in = StandaloneServer.class.getResourceAsStream("/" + DEFAULT_CONFIG)) {
      if (in == null) {
        throw new RehoboamException(
            ErrorCode.INVALID_CONFIG,
            "the default configuration " + DEFAULT_CONFIG + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + DEFAULT_CONFIG, e);
    }
  }

  HttpAdapter http() {
    return http;
  }

  Path dataDir() {
    return dataDir;
  }

  ArbitrageService service() {
    return service;
  }

  /**
   * Stops gracefully: requests get 503 from now on, the bots stop in parallel (within {@code
   * server.shutdown_timeout}) while their last events still reach WebSocket clients, then the
   * clients are closed with 1001 and the server stops. Idempotent.
   */
  void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    http.beginShutdown();
    service.close();
    if (cluster != null) {
      // The bots stopped: their leases go back at once, other servers take them now (the journal
      // refused any execution of theirs here from the moment the lease was let go anyway).
      cluster.close();
    }
    if (clusterEvents != null) {
      clusterEvents.close();
    }
    if (notifier != null) {
      notifier.close();
    }
    recorders.close();
    if (backtests != null) {
      backtests.close();
    }
    http.close();
  }

  void printBanner(PrintStream out) {
    out.println("Rehoboam server listening on " + http.uri());
    out.println("  Data:      " + dataDir + " (journal, kept across restarts)");
    out.println("  REST API:  " + http.uri() + "/api/arbitrage/bots");
    out.println("  WebSocket: " + http.webSocketUri());
    for (Path file : recorders.files()) {
      out.println("  Recording: " + file);
    }
    if (backtests != null) {
      out.println(
          "  Backtests: "
              + http.uri()
              + "/api/arbitrage/backtests (recordings in "
              + backtests.settings().recordingsDir().toAbsolutePath()
              + ")");
    }
    out.println(
        "  Health:    "
            + http.uri()
            + "/health   Metrics: "
            + http.uri()
            + "/metrics   OpenAPI: "
            + http.uri()
            + "/openapi.json");
    out.println(
        settings.keys().isEmpty()
            ? "  API keys:  none (loopback only; execute "
                + (settings.allowUnauthenticatedExecute()
                    ? "allowed by server.allow_unauthenticated_execute)"
                    : "refused without a key)")
            : "  API keys:  "
                + settings.keys().stream()
                    .map(k -> k.toString())
                    .collect(Collectors.joining(", ")));
    out.println(
        "  Bots: "
            + service.bots().stream().map(BotStatus::botId).collect(Collectors.joining(", ")));
    out.println(
        "Stop with Ctrl+C, or: kill "
            + ProcessHandle.current().pid()
            + " (graceful; bots get up to "
            + settings.shutdownTimeout().toSeconds()
            + " s; a second signal exits at once)");
    out.flush();
  }

  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err, System.getenv()));
  }

  /** Runs until a signal and returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    return run(args, InputStream.nullInputStream(), out, err, env);
  }

  /**
   * Prints the configuration hash of the key on the first line of {@code in}; the key itself is
   * neither echoed nor kept.
   */
  static int hashKey(InputStream in, PrintStream out, PrintStream err) {
    String key;
    try {
      key =
          new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))
              .readLine();
    } catch (IOException e) {
      err.println("rehoboam-server: cannot read the key: " + e.getMessage());
      return EXIT_FAILURE;
    }
    if (key == null || key.strip().length() < ApiKey.MIN_KEY_LENGTH) {
      err.println(
          "rehoboam-server: give a key of at least "
              + ApiKey.MIN_KEY_LENGTH
              + " characters on standard input, for example: openssl rand -hex 32");
      return EXIT_USAGE;
    }
    out.println(ApiKey.hash(key));
    return 0;
  }

  /** Runs until a signal and returns the exit code. */
  static int run(
      String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (RehoboamException e) {
      err.println("rehoboam-server: " + e.getMessage());
      err.println(USAGE);
      return EXIT_USAGE;
    }
    if (options.help()) {
      out.print(USAGE);
      return 0;
    }
    if (options.hashKey()) {
      return hashKey(in, out, err);
    }
    StandaloneServer server;
    try {
      server = start(options, env);
    } catch (RehoboamException e) {
      boolean usage =
          e.code() == ErrorCode.INVALID_CONFIG || e.code() == ErrorCode.INVALID_ARGUMENT;
      err.println(
          "rehoboam-server: "
              + (usage ? "configuration error: " : "cannot start: ")
              + e.getMessage());
      return usage ? EXIT_USAGE : EXIT_FAILURE;
    }
    CountDownLatch stopRequested = new CountDownLatch(1);
    AtomicInteger signals = new AtomicInteger();
    boolean handled =
        Signals.onTermination(
            signal -> {
              if (signals.incrementAndGet() == 1) {
                out.println(
                    "Received SIG" + signal + ": shutting down (send it again to exit at once)");
                out.flush();
                stopRequested.countDown();
              } else {
                err.println("Received SIG" + signal + " again: exiting now");
                err.flush();
                Runtime.getRuntime().halt(128 + Signals.number(signal));
              }
            });
    // Without signal handlers (a JVM without sun.misc.Signal) the hook still stops gracefully; with
    // them it covers System.exit from elsewhere.
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "rehoboam-shutdown"));
    server.printBanner(out);
    if (!handled) {
      out.println("(signal handlers unavailable: stopping relies on the JVM's shutdown hook)");
    }
    try {
      stopRequested.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.stop();
    out.println("Stopped.");
    out.flush();
    return 0;
  }
}
