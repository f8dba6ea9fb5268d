package io.hmb.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * A JFR recording (the JDK's "profile" settings: execution samples every 10-20 ms, allocation, locks)
 * around one scenario, dumped to a file for `jfr print` / `jfr summary` or JDK Mission Control.
 */
final class Profiler implements AutoCloseable {
  private final Recording recording;
  private final Path file;

  private Profiler(Recording recording, Path file) {
    this.recording = recording;
    this.file = file;
  }

  static Profiler start(String name, Path file) throws IOException {
    try {
      Recording r = new Recording(Configuration.getConfiguration("profile"));
      r.setName(name);
      r.start();
      return new Profiler(r, file);
    } catch (ParseException e) {
      throw new IOException("the JDK's JFR profile settings could not be read", e);
    }
  }

  @Override
  public void close() throws IOException {
    recording.stop();
    recording.dump(file);
    recording.close();
  }
}
