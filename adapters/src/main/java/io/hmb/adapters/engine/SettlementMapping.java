package io.hmb.adapters.engine;

import java.util.Map;

/**
 * How this product's city reads national-platform settlement results.
 *
 * @param overLimitSelfpay which bucket over-limit self-pay (overlmt_selfpay) goes to
 * @param clearingTypes platform clr_type code -> claim type; codes not listed are refused
 */
public record SettlementMapping(Cited<Bucket> overLimitSelfpay, Cited<Map<String, ClaimType>> clearingTypes) {}
