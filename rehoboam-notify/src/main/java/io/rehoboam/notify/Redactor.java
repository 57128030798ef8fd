package io.rehoboam.notify;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Masks secret strings (tokens, webhook URLs) in text before it may reach a log. */
final class Redactor {
  private final List<String> secrets = new ArrayList<>();

  Redactor(Collection<String> secrets) {
    for (String s : secrets) {
      if (s != null && s.length() >= 4) {
        this.secrets.add(s);
      }
    }
    // Longest first, so a URL is masked whole before a token inside it.
    this.secrets.sort((a, b) -> b.length() - a.length());
  }

  String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, "***");
    }
    return out;
  }
}
