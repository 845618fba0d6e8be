package io.faultline.harness.target;

import java.util.List;
import java.util.Map;

/**
 * How to start one node as a process: the command line and what its environment adds. The runtime
 * adds its own (libfaketime's variables for clock faults), starts it on the node's host with
 * standard input a pipe the runtime holds, and collects its standard output and error as the
 * node's log.
 *
 * @param command the program and its arguments, as paths on the node's host
 * @param environment variables added to the host's environment
 */
public record NodeLaunch(List<String> command, Map<String, String> environment) {
  public NodeLaunch {
    if (command.isEmpty()) throw new IllegalArgumentException("a launch needs a command");
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
  }
}
