package io.hmb.conformance.cases;

import io.hmb.conformance.suite.CaseResult;
import io.hmb.security.Sm3;
import io.hmb.security.StandardVectors;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * Known-answer checks of the algorithms the envelope rests on, from the national standards: SM3
 * (GB/T 32905-2016, appendix A) and SM4 (GB/T 32907-2016, appendix A). They run locally: an
 * integrator's crypto library must give these bytes before anything else can work.
 */
final class CryptoVectorCases {
  private static final HexFormat HEX = HexFormat.of();

  private CryptoVectorCases() {}

  static void sm3(List<CaseResult.Exchange> exchanges) {
    expect("SM3(\"abc\")", Sm3.hash("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0", exchanges);
    expect("SM3(\"abcd\" x 16)", Sm3.hash("abcd".repeat(16).getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732", exchanges);
  }

  static void sm4(List<CaseResult.Exchange> exchanges) {
    byte[] key = HEX.parseHex("0123456789abcdeffedcba9876543210");
    byte[] out = StandardVectors.sm4EncryptBlock(key, key);
    expect("SM4-ECB(key = plaintext = 0123456789abcdeffedcba9876543210)", out,
        "681edf34d206965e86b3e94f536e4246", exchanges);
  }

  private static void expect(String what, byte[] actual, String expectedHex, List<CaseResult.Exchange> exchanges) {
    String got = HEX.formatHex(actual);
    exchanges.add(new CaseResult.Exchange("local " + what, "expected " + expectedHex, "got " + got, Duration.ZERO));
    if (!got.equals(expectedHex)) {
      throw new AssertionError(what + ": expected " + expectedHex + ", got " + got);
    }
  }
}
