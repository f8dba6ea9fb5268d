package io.hmb.adapters.engine;

/** Medical-assistance status ({@code hmb.v1.AssistanceStatus}); changes the 大病 threshold and ratio. */
public enum Assistance {
  NONE,
  /** 最低生活保障对象. */
  DIBAO,
  /** 特困救助供养人员. */
  TEKUN
}
