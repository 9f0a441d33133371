package io.tether.agent.hosts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's block in a hosts file, mapping client aliases to their virtual IPs:
 *
 * <pre>
 * # BEGIN tether (managed by tether agent; do not edit)
 * 127.255.0.7	payments
 * # END tether
 * </pre>
 *
 * <p>Every line outside the block is kept byte for byte. The one exception: appending the block to a
 * file without a final newline puts a newline before the block (and leaves the block without one), and
 * {@link #remove()} takes it away again, so that write-then-remove restores the original exactly.
 *
 * <p>How a change reaches the disk: under an exclusive lock on the file, the new text is written to a
 * temporary file in the same directory, given the original's permissions and owner, and renamed over
 * it, so that a resolver reading the file sees the old text or the new, never half of it. In a
 * container, though, /etc/hosts is usually a bind mount, and renaming over a mount point fails
 * (EBUSY; EXDEV across file systems). Then, and whenever the atomic path fails for any other reason
 * (a read-only directory, an owner we may not give), the file is rewritten in place through the locked
 * channel instead: new bytes over the old, then truncated. A reader may then catch a mix of old and
 * new for an instant; it never sees an empty file. Once the atomic path has failed, this instance
 * goes straight to the in-place rewrite. A file others bind-mount is opened with {@link
 * #rewrittenInPlace}, which never renames: the rename would succeed (the file is no mount point
 * here) but leave every mount on the old inode, never to see another change.
 *
 * <p>Thread-safe, and safe against other processes that use this class on the same file.
 * A write that changes nothing does not touch the file.
 */
public final class HostsFile {
  private static final Logger log = LoggerFactory.getLogger(HostsFile.class);

  public static final String BEGIN = HostsText.BEGIN;
  public static final String END = HostsText.END;
  public static final Path SYSTEM = Path.of("/etc/hosts");

  /**
   * Java's file locks belong to the whole process: a second channel of this JVM that locks the same
   * file gets OverlappingFileLockException instead of waiting. Threads therefore queue here, one lock
   * per real path, before taking the file lock that keeps other processes out.
   */
  private static final ConcurrentMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  /** Renames a temporary file over the hosts file; a seam so that tests can fail it as a bind mount does. */
  @FunctionalInterface
  interface Replacer {
    void replace(Path temporary, Path target) throws IOException;
  }

  private final Path path;
  private final Replacer replacer;
  private volatile boolean inPlaceOnly;

  public HostsFile(Path path) {
    this(path, (temporary, target) -> Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE));
  }

  HostsFile(Path path, Replacer replacer) {
    this.path = Objects.requireNonNull(path, "path");
    this.replacer = replacer;
  }

  /**
   * A hosts file that is always rewritten in place, never replaced by a rename: for a file that others
   * bind-mount, as host-mode ECS containers mount the host's /etc/hosts (docs/ecs.md). A bind mount
   * pins the inode it was made of; a new file renamed over the path would not be seen through it.
   */
  public static HostsFile rewrittenInPlace(Path path) {
    HostsFile file = new HostsFile(path);
    file.inPlaceOnly = true;
    return file;
  }

  /** The system's hosts file, /etc/hosts. */
  public static HostsFile system() {
    return new HostsFile(SYSTEM);
  }

  public Path path() {
    return path;
  }

  /**
   * Makes the block map exactly these names (client alias dnsNames) to these IPs, one
   * {@code IP<TAB>name} line each, sorted by name; creates the file if it is missing.
   *
   * @return whether the file changed
   * @throws IllegalArgumentException for a name that is not a host name or an IP that is not an address
   */
  public boolean write(Map<String, String> nameToIp) throws IOException {
    Map<String, String> copy = Map.copyOf(nameToIp);
    HostsText.withBlock("", copy); // validates before the file is touched
    return update(text -> HostsText.withBlock(text, copy), true);
  }

  /** Removes the block and only it. @return whether the file changed (false when there was none). */
  public boolean remove() throws IOException {
    return update(HostsText::withoutBlock, false);
  }

  /** The names the block maps now, to their IPs; empty when there is no block or no file. */
  public Map<String, String> entries() throws IOException {
    try {
      return HostsText.entries(new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1));
    } catch (NoSuchFileException e) {
      return Map.of();
    }
  }

  private boolean update(UnaryOperator<String> edit, boolean create) throws IOException {
    if (!create && !Files.exists(path)) {
      return false;
    }
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockKey(), k -> new ReentrantLock());
    jvmLock.lock();
    try {
      while (true) {
        Object before = fileKey();
        if (before == null && !create) {
          return false; // removed by someone else meanwhile: no block left to remove
        }
        try (FileChannel channel = create
            ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE)
            : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
          channel.lock(); // released when the channel closes
          if (before == null || !before.equals(fileKey())) {
            // Another process renamed a new file over the one we opened while we waited for its lock.
            continue;
          }
          byte[] current = readAll(channel);
          byte[] updated = edit.apply(new String(current, StandardCharsets.ISO_8859_1))
              .getBytes(StandardCharsets.ISO_8859_1);
          if (Arrays.equals(current, updated)) {
            return false;
          }
          replace(channel, updated);
          return true;
        }
      }
    } finally {
      jvmLock.unlock();
    }
  }

  private void replace(FileChannel locked, byte[] content) throws IOException {
    if (!inPlaceOnly) {
      try {
        replaceAtomically(content);
        return;
      } catch (IOException e) {
        inPlaceOnly = true;
        log.info("cannot rename a new {} over the old one ({}); rewriting it in place from now on"
            + " (expected when it is a bind mount, as in containers)", path, e.toString());
      }
    }
    rewriteInPlace(locked, content);
  }

  private void replaceAtomically(byte[] content) throws IOException {
    // Through a symbolic link, renaming over the path would replace the link rather than the file.
    Path target = path.toRealPath();
    Path temporary = Files.createTempFile(target.toAbsolutePath().getParent(),
        "." + target.getFileName() + ".tether-", ".tmp");
    try {
      try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        writeAll(out, content);
        out.force(true);
      }
      copyOwnershipAndMode(target, temporary);
      replacer.replace(temporary, target);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
  }

  /**
   * New bytes over the old, then the surplus cut off: a reader never sees the file empty, which a
   * truncate-first rewrite would show it (and with it no localhost). The prefix before the block is
   * unchanged and so rewritten with the same bytes.
   */
  private static void rewriteInPlace(FileChannel channel, byte[] content) throws IOException {
    channel.position(0);
    writeAll(channel, content);
    channel.truncate(content.length);
    channel.force(true);
  }

  /** The replacement must be as readable as the original (a 0600 temporary /etc/hosts breaks name resolution for everyone else). */
  private static void copyOwnershipAndMode(Path from, Path to) throws IOException {
    PosixFileAttributeView fromView = Files.getFileAttributeView(from, PosixFileAttributeView.class);
    PosixFileAttributeView toView = Files.getFileAttributeView(to, PosixFileAttributeView.class);
    if (fromView == null || toView == null) {
      return;
    }
    PosixFileAttributes original = fromView.readAttributes();
    PosixFileAttributes created = toView.readAttributes();
    // Owner before mode: chown may clear set-id bits. Giving another owner needs privilege; without it
    // this throws, and the caller falls back to the in-place rewrite, which keeps the owner as it is.
    if (!original.owner().equals(created.owner())) {
      toView.setOwner(original.owner());
    }
    if (!original.group().equals(created.group())) {
      toView.setGroup(original.group());
    }
    toView.setPermissions(original.permissions());
  }

  private Object fileKey() throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private Path lockKey() {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }

  private static byte[] readAll(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(channel.size()));
    while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) >= 0) {
      // read until the buffer is full or the file ends
    }
    return Arrays.copyOf(buffer.array(), buffer.position());
  }

  private static void writeAll(FileChannel channel, byte[] content) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(content);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }
}
