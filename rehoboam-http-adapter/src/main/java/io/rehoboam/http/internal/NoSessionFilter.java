package io.rehoboam.http.internal;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The server keeps no HTTP sessions: a request asking for one (Javalin does for every WebSocket
 * upgrade, accepted or refused) gets an empty session of its own that is neither stored nor sent as
 * a cookie. Without this every upgrade attempt left a session in memory and a {@code Set-Cookie:
 * JSESSIONID} in its answer.
 */
public final class NoSessionFilter implements Filter {
  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    chain.doFilter(
        request instanceof HttpServletRequest http ? new NoSession(http) : request, response);
  }

  private static final class NoSession extends HttpServletRequestWrapper {
    private HttpSession session;

    NoSession(HttpServletRequest request) {
      super(request);
    }

    @Override
    public HttpSession getSession(boolean create) {
      if (session == null && create) {
        session = new Throwaway(getServletContext());
      }
      return session;
    }

    @Override
    public HttpSession getSession() {
      return getSession(true);
    }

    @Override
    public String changeSessionId() {
      throw new IllegalStateException("this server keeps no sessions");
    }

    @Override
    public boolean isRequestedSessionIdValid() {
      return false;
    }
  }

  /** A session that lives as long as the request and holds nothing. */
  private static final class Throwaway implements HttpSession {
    private final ServletContext context;
    private final long created = System.currentTimeMillis();

    Throwaway(ServletContext context) {
      this.context = context;
    }

    @Override
    public long getCreationTime() {
      return created;
    }

    @Override
    public String getId() {
      return "";
    }

    @Override
    public long getLastAccessedTime() {
      return created;
    }

    @Override
    public ServletContext getServletContext() {
      return context;
    }

    @Override
    public void setMaxInactiveInterval(int interval) {}

    @Override
    public int getMaxInactiveInterval() {
      return 0;
    }

    @Override
    public Object getAttribute(String name) {
      return null;
    }

    @Override
    public Enumeration<String> getAttributeNames() {
      return Collections.emptyEnumeration();
    }

    @Override
    public void setAttribute(String name, Object value) {}

    @Override
    public void removeAttribute(String name) {}

    @Override
    public void invalidate() {}

    @Override
    public boolean isNew() {
      return true;
    }
  }
}
