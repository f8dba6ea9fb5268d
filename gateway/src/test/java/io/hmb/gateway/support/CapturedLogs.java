package io.hmb.gateway.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.LoggerFactory;

/**
 * Everything the gateway's JVM logs while it is open, through SLF4J (the gateway's own lines) and through
 * java.util.logging (gRPC's and Netty's), rendered as a console would print it: the message, then a
 * stack trace if the record has one. {@link #lines()} is what an operator's log file would hold.
 */
public final class CapturedLogs implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final List<LogRecord> julRecords = new CopyOnWriteArrayList<>();
  private final SimpleFormatter julFormat = new SimpleFormatter();
  private final Handler julHandler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      julRecords.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  private CapturedLogs() {}

  public static CapturedLogs start() {
    CapturedLogs logs = new CapturedLogs();
    logs.appender.start();
    root().addAppender(logs.appender);
    java.util.logging.Logger.getLogger("").addHandler(logs.julHandler);
    return logs;
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  /** Forgets what was captured so far. */
  public void clear() {
    appender.list.clear();
    julRecords.clear();
  }

  /** Every line printed, in the order of each source (SLF4J first, then java.util.logging). */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(appender.list)) {
      StringBuilder text = new StringBuilder(e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage());
      if (e.getThrowableProxy() != null) {
        text.append('\n').append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
      }
      out.addAll(Arrays.asList(text.toString().split("\r\n|\r|\n", -1)));
    }
    for (LogRecord r : julRecords) {
      out.addAll(Arrays.asList(julFormat.format(r).split("\r\n|\r|\n", -1)));
    }
    out.removeIf(String::isEmpty);
    return out;
  }

  /** Records that carried a stack trace. */
  public List<String> stackTraces() {
    List<String> out = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(appender.list)) {
      if (e.getThrowableProxy() != null) {
        out.add(e.getLoggerName() + ": " + e.getFormattedMessage());
      }
    }
    for (LogRecord r : julRecords) {
      if (r.getThrown() != null) {
        out.add(r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage() + " " + r.getThrown());
      }
    }
    return out;
  }

  @Override
  public void close() {
    root().detachAppender(appender);
    appender.stop();
    java.util.logging.Logger.getLogger("").removeHandler(julHandler);
  }
}
