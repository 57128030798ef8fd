package io.rehoboam.http.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.util.function.Supplier;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Cuts a client's TCP connection at once (a reset, dropping what is still queued for it), for a
 * client that does not take its close frame. A plain close would leave the socket to the kernel,
 * which keeps trying to deliver the queued bytes to a client that reads nothing for minutes.
 */
public final class SocketAbort {
  private final Supplier<ServerConnector> connector;

  /**
   * @param connector the server's connector (null until it is made)
   */
  public SocketAbort(Supplier<ServerConnector> connector) {
    this.connector = connector;
  }

  /** Resets the connection from {@code remote}; false if there is none. */
  public boolean abort(SocketAddress remote) {
    ServerConnector c = connector.get();
    if (c == null || remote == null) {
      return false;
    }
    for (EndPoint endPoint : c.getConnectedEndPoints()) {
      if (remote.equals(endPoint.getRemoteSocketAddress())) {
        if (endPoint instanceof SocketChannelEndPoint socket) {
          try {
            socket.getChannel().setOption(StandardSocketOptions.SO_LINGER, 0);
          } catch (IOException | RuntimeException e) {
            // closing it anyway
          }
        }
        endPoint.close();
        return true;
      }
    }
    return false;
  }
}
