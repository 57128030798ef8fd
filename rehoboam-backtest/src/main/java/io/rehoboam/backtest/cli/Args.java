package io.rehoboam.backtest.cli;

import io.rehoboam.spi.RehoboamException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parsed {@code --name value} options of one command; unknown or valueless options are errors. */
final class Args {
  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String> flags = new ArrayList<>();

  static Args parse(String[] args, int from, Set<String> options, Set<String> flagNames) {
    Args out = new Args();
    for (int i = from; i < args.length; i++) {
      String a = args[i];
      if (flagNames.contains(a)) {
        out.flags.add(a);
      } else if (options.contains(a)) {
        if (i + 1 >= args.length) {
          throw RehoboamException.invalid(a, "needs a value");
        }
        out.values.put(a, args[++i]);
      } else {
        throw RehoboamException.invalid(
            a, "unknown option (known: " + String.join(", ", sorted(options, flagNames)) + ")");
      }
    }
    return out;
  }

  private static List<String> sorted(Set<String> a, Set<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    all.sort(null);
    return all;
  }

  String required(String name) {
    String v = values.get(name);
    if (v == null) {
      throw RehoboamException.invalid(name, "is required");
    }
    return v;
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  boolean has(String name) {
    return values.containsKey(name) || flags.contains(name);
  }
}
