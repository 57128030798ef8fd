package io.rehoboam.journal;

import io.rehoboam.testsupport.PostgresServer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link PostgresServer}: one real PostgreSQL per test run, started at the first test
 * that asks for it and stopped when the run ends. Tests create a database of their own on it.
 */
public final class PostgresExtension implements ParameterResolver {
  private static final class Running implements ExtensionContext.Store.CloseableResource {
    final PostgresServer server = PostgresServer.start();

    @Override
    public void close() {
      server.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PostgresServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(PostgresExtension.class))
        .getOrComputeIfAbsent("server", k -> new Running(), Running.class)
        .server;
  }
}
