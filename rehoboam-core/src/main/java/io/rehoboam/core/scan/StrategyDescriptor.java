package io.rehoboam.core.scan;

import io.rehoboam.spi.Checks;
import java.util.List;

/**
 * A strategy the engine offers: its contract id, a display name, a description and its parameters.
 */
public record StrategyDescriptor(
    String id, String name, String description, List<StrategyParameter> parameters) {
  public StrategyDescriptor {
    Checks.notBlank(id, "id");
    Checks.notBlank(name, "name");
    Checks.notBlank(description, "description");
    parameters = List.copyOf(Checks.notNull(parameters, "parameters"));
  }
}
