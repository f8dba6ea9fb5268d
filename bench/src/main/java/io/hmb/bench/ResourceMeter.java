package io.hmb.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * CPU and memory of the process tree under test: this JVM (gateway, simulated participants and callers
 * share it), the embedded PostgreSQL (the postmaster and its backends, read from /proc), and the whole
 * machine, which is shared and so tells how much of the CPU others took. Linux figures are "n/a" elsewhere.
 */
final class ResourceMeter {
  /** USER_HZ: 100 on every Linux the JDK supports in practice; /proc/PID/stat counts in these ticks. */
  private static final long TICKS_PER_SECOND = 100;
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final Path postmasterPidFile;

  /** @param postgresDataDir the embedded PostgreSQL's data directory (holds postmaster.pid), or null */
  ResourceMeter(Path postgresDataDir) {
    this.postmasterPidFile = postgresDataDir == null ? null : postgresDataDir.resolve("postmaster.pid");
  }

  record Snapshot(long wallNanos, long jvmCpuNanos, long postgresTicks, long machineBusy, long machineTotal) {}

  /** Averages over an interval: CPU in cores (1.0 = one core busy), machine busy as a fraction of all cores. */
  record Usage(double jvmCores, double postgresCores, double machineBusy, long rssKib) {}

  /** CPU-seconds used over an interval; postgres -1 when unknown. */
  record Spent(double jvmCpuSeconds, double postgresCpuSeconds) {}

  Spent spent(Snapshot a, Snapshot b) {
    double jvm = (b.jvmCpuNanos() - a.jvmCpuNanos()) / 1e9;
    double pg = a.postgresTicks() < 0 || b.postgresTicks() < 0 ? -1
        : (b.postgresTicks() - a.postgresTicks()) / (double) TICKS_PER_SECOND;
    return new Spent(jvm, pg);
  }

  Snapshot snapshot() {
    long[] machine = machineJiffies();
    return new Snapshot(System.nanoTime(), os.getProcessCpuTime(), postgresTicks(), machine[0], machine[1]);
  }

  Usage between(Snapshot a, Snapshot b) {
    double wallSeconds = (b.wallNanos() - a.wallNanos()) / 1e9;
    double jvm = (b.jvmCpuNanos() - a.jvmCpuNanos()) / 1e9 / wallSeconds;
    double pg = a.postgresTicks() < 0 || b.postgresTicks() < 0 ? Double.NaN
        : (b.postgresTicks() - a.postgresTicks()) / (double) TICKS_PER_SECOND / wallSeconds;
    long total = b.machineTotal() - a.machineTotal();
    double busy = total <= 0 ? Double.NaN : (b.machineBusy() - a.machineBusy()) / (double) total;
    return new Usage(jvm, pg, busy, rssKib().orElse(-1));
  }

  /** VmRSS of this JVM from /proc/self/status. */
  static OptionalLong rssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: reported as n/a
    }
    return OptionalLong.empty();
  }

  /**
   * CPU ticks of the postmaster (including its exited children, cutime/cstime) plus its live backends;
   * -1 when unknown.
   */
  private long postgresTicks() {
    if (postmasterPidFile == null) {
      return -1;
    }
    try {
      String pid = Files.readAllLines(postmasterPidFile).get(0).trim();
      long[] master = stat(Path.of("/proc", pid, "stat"));
      long ticks = master[0] + master[1] + master[2] + master[3];
      try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
        for (Path p : (Iterable<Path>) procs::iterator) {
          String name = p.getFileName().toString();
          if (!name.chars().allMatch(Character::isDigit)) {
            continue;
          }
          try {
            String s = Files.readString(p.resolve("stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            if (f[1].equals(pid)) { // ppid
              ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            }
          } catch (IOException | RuntimeException gone) {
            // the process ended while we listed
          }
        }
      }
      return ticks;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** utime, stime, cutime, cstime of one process. */
  private static long[] stat(Path statFile) throws IOException {
    String s = Files.readString(statFile);
    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
  }

  /** Busy and total jiffies of all CPUs from /proc/stat; zeros when unavailable. */
  private static long[] machineJiffies() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
      String[] f = lines.get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) { // user..steal; guest is already in user
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle + iowait
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      return l < 0 ? "n/a" : String.format("%.2f", l);
    }
  }
}
