package io.tether.main;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One server per data directory: an exclusive lock on {@code DIR/server.lock}, held for the life of
 * the process and released by the kernel however it ends (so a crash never leaves it stale). The
 * file names the holder's pid, for the error the next server prints.
 */
final class DataDirLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static DataDirLock acquire(Path dataDir) {
    Path file = dataDir.resolve("server.lock");
    try {
      Files.createDirectories(dataDir);
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        String holder = Files.readString(file).trim();
        channel.close();
        throw new StartupException("the data directory " + dataDir + " is in use by another tether server"
            + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; stop it or use another --data-dir");
      }
      channel.truncate(0).write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
      return new DataDirLock(channel, lock);
    } catch (IOException e) {
      throw new StartupException("cannot lock the data directory " + dataDir + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // released by the kernel on exit anyway
    }
  }
}
