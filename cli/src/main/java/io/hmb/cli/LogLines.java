package io.hmb.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code logFormat} setting: logback.xml writes text lines to stderr; {@code json} swaps that appender's
 * encoder for logback's own JsonEncoder, one object a line (timestamp, level, thread, logger, the formatted
 * message, MDC, key-value pairs, a throwable), so a log collector needs no pattern. The message is the
 * same sentence the text line carries, so it carries no personal data either (LogSafe, docs/security.md).
 */
final class LogLines {
  /** The appender of cli/src/main/resources/logback.xml. */
  static final String APPENDER = "STDERR";

  private LogLines() {}

  static void use(String format) {
    if (!"json".equals(format) || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    if (!(root.getAppender(APPENDER) instanceof OutputStreamAppender<ILoggingEvent> appender)) {
      return;
    }
    JsonEncoder json = new JsonEncoder();
    json.setContext(context);
    json.setWithFormattedMessage(true);
    json.setWithMessage(false); // the pattern with {} and the arguments apart: the formatted message says it once
    json.setWithArguments(false);
    json.setWithSequenceNumber(false);
    json.setWithNanoseconds(false);
    json.setWithContext(false);
    json.start();
    appender.stop();
    appender.setEncoder(json);
    appender.start();
  }
}
