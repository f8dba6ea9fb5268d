package io.hmb.adapters.enrolment;

/** A person's standing in basic medical insurance on a day, as the bureau reports it. */
public enum BasicStatus { ACTIVE, SUSPENDED, NOT_INSURED }
