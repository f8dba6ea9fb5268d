package io.hmb.conformance.sim;

import com.google.protobuf.Timestamp;
import com.google.type.Date;
import java.time.Instant;
import java.time.LocalDate;

/** Conversions between java.time and the contract's date and timestamp types. */
final class ProtoDates {
  private ProtoDates() {}

  static Date date(LocalDate d) {
    return Date.newBuilder().setYear(d.getYear()).setMonth(d.getMonthValue()).setDay(d.getDayOfMonth()).build();
  }

  /** The day, or null when the message leaves the date unset. */
  static LocalDate localDate(Date d) {
    return d.getYear() == 0 ? null : LocalDate.of(d.getYear(), d.getMonth(), d.getDay());
  }

  static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
