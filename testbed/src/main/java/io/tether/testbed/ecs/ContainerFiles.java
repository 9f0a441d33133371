package io.tether.testbed.ecs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files Docker writes for a container's name resolution. A {@code bridge} container gets its own
 * {@code /etc/hosts} (the localhost lines, its {@code extraHosts}, then its address and hostname) and
 * {@code /etc/resolv.conf} (the definition's {@code dnsServers}, else the host's with its loopback resolvers
 * dropped, and 8.8.8.8/8.8.4.4 when none is left), written to {@code /etc/netns/NETNS/}, which {@code ip
 * netns exec} mounts over {@code /etc}. A {@code host} container gets copies of the host's two files, taken
 * when it is created, so later changes of the host's file do not reach it.
 *
 * <p>The host's files are the test host's: {@code /etc/netns/HOSTNETNS/FILE} when it exists (what every
 * process of that host sees at {@code /etc/FILE}), else the machine's {@code /etc/FILE}.
 */
final class ContainerFiles {
  private static final String LOCALHOST_LINES = """
      127.0.0.1\tlocalhost
      ::1\tlocalhost ip6-localhost ip6-loopback
      fe00::0\tip6-localnet
      ff00::0\tip6-mcastprefix
      ff02::1\tip6-allnodes
      ff02::2\tip6-allrouters
      """;

  private final String hostNetns;

  ContainerFiles(String hostNetns) {
    this.hostNetns = hostNetns;
  }

  /** The host's {@code /etc/NAME}, as the host's processes see it. */
  Path hostFile(String name) {
    Path own = Path.of("/etc/netns", hostNetns, name);
    return Files.exists(own) ? own : Path.of("/etc", name);
  }

  /**
   * Writes a bridge (or none) container's hosts and resolv.conf for {@code ip netns exec NETNS}; {@code links}
   * are Docker's lines for its legacy links, {@code IP\tALIAS ID12 DOCKERNAME}.
   */
  void writeBridge(String netns, String ip, String hostname, ContainerDefinition def, List<String> links) {
    Path dir = Path.of("/etc/netns", netns);
    StringBuilder hosts = new StringBuilder(LOCALHOST_LINES);
    links.forEach(l -> hosts.append(l).append('\n'));
    def.extraHosts().forEach(h -> hosts.append(h.ipAddress()).append('\t').append(h.hostname()).append('\n'));
    if (ip != null) {
      hosts.append(ip).append('\t').append(hostname).append('\n');
    }
    write(dir.resolve("hosts"), hosts.toString());
    write(dir.resolve("resolv.conf"), bridgeResolvConf(read(hostFile("resolv.conf")), def));
    write(dir.resolve("hostname"), hostname + "\n");
  }

  /** Copies of the host's hosts (with {@code extraHosts} appended) and resolv.conf into {@code dir}. */
  void copyHostFiles(Path dir, ContainerDefinition def) {
    StringBuilder hosts = new StringBuilder(read(hostFile("hosts")));
    if (hosts.length() > 0 && hosts.charAt(hosts.length() - 1) != '\n') {
      hosts.append('\n');
    }
    def.extraHosts().forEach(h -> hosts.append(h.ipAddress()).append('\t').append(h.hostname()).append('\n'));
    write(dir.resolve("hosts"), hosts.toString());
    write(dir.resolve("resolv.conf"), read(hostFile("resolv.conf")));
  }

  /** The resolv.conf libnetwork writes for a container on the default bridge. */
  static String bridgeResolvConf(String host, ContainerDefinition def) {
    List<String> nameservers = new ArrayList<>();
    List<String> other = new ArrayList<>();
    String search = null;
    for (String line : host.split("\n")) {
      String[] words = line.trim().split("\\s+");
      if (words[0].equals("nameserver") && words.length > 1) {
        if (!words[1].startsWith("127.") && !words[1].equals("::1")) {
          nameservers.add(words[1]);
        }
      } else if (words[0].equals("search") || words[0].equals("domain")) {
        search = line.trim().replaceFirst("^domain", "search");
      } else if (!line.isBlank() && !line.startsWith("#")) {
        other.add(line.trim());
      }
    }
    if (!def.dnsServers().isEmpty()) {
      nameservers = def.dnsServers();
    } else if (nameservers.isEmpty()) {
      nameservers = List.of("8.8.8.8", "8.8.4.4");
    }
    if (!def.dnsSearchDomains().isEmpty()) {
      search = "search " + String.join(" ", def.dnsSearchDomains());
    }
    StringBuilder out = new StringBuilder();
    if (search != null) {
      out.append(search).append('\n');
    }
    nameservers.forEach(n -> out.append("nameserver ").append(n).append('\n'));
    other.forEach(o -> out.append(o).append('\n'));
    return out.toString();
  }

  /** Removes {@code /etc/netns/NETNS} (or any directory of files this class wrote). */
  static void removeDir(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("cannot remove " + dir + ": " + e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
