package io.hmb.gateway.scale;

import java.util.List;

/** The ports of the two gateway nodes on 127.0.0.1. */
record NodePorts(int first, int second) {

  List<Integer> both() {
    return List.of(first, second);
  }

  /** The node that is not {@code port}: where a retry goes to land on the other node. */
  int other(int port) {
    if (port == first) {
      return second;
    }
    if (port == second) {
      return first;
    }
    throw new IllegalArgumentException("port " + port + " is neither node (" + first + ", " + second + ")");
  }

  String name(int port) {
    return port == first ? "node A" : port == second ? "node B" : "port " + port;
  }
}
