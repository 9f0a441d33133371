package io.tether.agent.host;

import io.tether.model.VipRange;
import io.tether.process.BoundChildren;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route that makes the host's {@code vipRange} local ({@code ip route replace local <vipRange> dev
 * lo}), so that the egress Envoy can listen on its addresses and the containers' packets to them, sent
 * to their gateway (the host), are delivered to it. Added by the agent when it runs as root; otherwise
 * it must be there already (the unit's {@code ExecStartPre}), or the agent stops with the exact command.
 * The registry's own range, 127.255.0.0/16, is loopback already and needs none.
 *
 * <p>Runs {@code ip} (from the caller's thread, bound to the agent's life like every child).
 */
final class LocalRoute {
  private static final Logger log = LoggerFactory.getLogger(LocalRoute.class);

  private final List<String> ip;

  /** @param ip how to run {@code ip}: {@code [ip]}, or e.g. {@code [ip, -n, NETNS]} in another namespace */
  LocalRoute(List<String> ip) {
    this.ip = List.copyOf(ip);
  }

  static LocalRoute onThisHost() {
    return new LocalRoute(List.of("ip"));
  }

  /** The command that adds the route, as the unit's ExecStartPre should run it. */
  static String command(VipRange range) {
    return "ip route replace local " + range.cidr() + " dev lo";
  }

  /** @throws IllegalStateException when the route is neither there nor can be added, saying how to add it */
  void ensure(VipRange range) throws IOException, InterruptedException {
    if (range.equals(VipRange.REGISTRY)) {
      log.info("vipRange {} is the registry's loopback range: no route needed", range);
      return;
    }
    Result added = run("route", "replace", "local", range.cidr(), "dev", "lo");
    if (added.status() == 0) {
      log.info("route '{}' in place", command(range));
      return;
    }
    Result present = run("route", "show", "table", "local", "exact", range.cidr());
    if (present.status() == 0 && present.output().contains(range.cidr()) && present.output().contains("dev lo")) {
      log.info("route '{}' is in place already (could not replace it: {})", command(range), added.output().trim());
      return;
    }
    throw new IllegalStateException("the local route for vipRange " + range + " is missing and could not be added ("
        + added.output().trim() + "): run the host agent as root, or add it before it starts, e.g. in its systemd "
        + "unit: ExecStartPre=/usr/sbin/" + command(range));
  }

  /** Whether the route is there now. */
  boolean present(VipRange range) throws IOException, InterruptedException {
    Result shown = run("route", "show", "table", "local", "exact", range.cidr());
    return shown.status() == 0 && shown.output().contains(range.cidr());
  }

  private record Result(int status, String output) {}

  private Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(ip);
    command.addAll(List.of(args));
    Process p;
    try {
      p = BoundChildren.shared().start(new ProcessBuilder(command).redirectErrorStream(true));
    } catch (RuntimeException e) {
      return new Result(127, "cannot run " + String.join(" ", command) + ": " + e.getMessage());
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Result(124, String.join(" ", command) + " did not finish within 10 s");
    }
    return new Result(p.exitValue(), output);
  }
}
