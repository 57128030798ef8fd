package io.rehoboam.examples;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.function.Consumer;

/**
 * Handles SIGINT and SIGTERM in the application instead of the JVM's shutdown sequence.
 *
 * <p>Why not a shutdown hook alone: once the JVM runs its hooks, a second signal is ignored (the
 * exit it triggers waits for the hooks), so "a second Ctrl+C exits at once" is impossible. The JDK
 * has no public API for signals; {@code sun.misc.Signal} (module jdk.unsupported) is the supported
 * way in practice, used through reflection because javac warns about it unconditionally and the
 * build treats warnings as errors.
 */
final class Signals {
  private static final List<String> TERMINATION = List.of("INT", "TERM");

  private Signals() {}

  /**
   * Calls {@code handler} with the signal's name ({@code INT} or {@code TERM}) on every SIGINT and
   * SIGTERM, on the JVM's signal thread (the handler must not block).
   *
   * @return false when this JVM offers no signal API (the JVM's default handling then stays)
   */
  static boolean onTermination(Consumer<String> handler) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Method getName = signalClass.getMethod("getName");
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      InvocationHandler dispatch =
          (proxy, method, args) ->
              switch (method.getName()) {
                case "handle" -> {
                  handler.accept((String) getName.invoke(args[0]));
                  yield null;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> "rehoboam termination handler";
                default -> throw new IllegalStateException("unexpected call " + method);
              };
      Object proxy =
          Proxy.newProxyInstance(
              Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, dispatch);
      for (String name : TERMINATION) {
        handle.invoke(null, signalClass.getConstructor(String.class).newInstance(name), proxy);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** The signal's number, for the conventional exit code 128 + number. */
  static int number(String name) {
    return switch (name) {
      case "INT" -> 2;
      case "TERM" -> 15;
      default -> 1;
    };
  }
}
