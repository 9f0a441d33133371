package io.tether.agent.net;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This host's name, for the endpoint's {@code host} field: the kernel's own ({@code uname -n}), read
 * without resolving it. {@code InetAddress.getLocalHost()} resolves the name and fails where it is in
 * neither DNS nor the hosts file (common in containers and network namespaces), which must not stop
 * a task from starting.
 */
public final class HostName {
  private static final Path KERNEL = Path.of("/proc/sys/kernel/hostname");

  private HostName() {}

  public static String ofThisHost() {
    try {
      String name = Files.readString(KERNEL).trim();
      if (!name.isEmpty()) {
        return name;
      }
    } catch (IOException e) {
      // not Linux: ask the JDK below
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
