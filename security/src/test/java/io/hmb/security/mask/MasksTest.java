package io.hmb.security.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MasksTest {

  @Test
  void residentIdCheckDigitFollowsGb11643() {
    assertThat(ResidentIdNumber.isValid("11010519491231002X")).isTrue(); // the standard's sample
    assertThat(ResidentIdNumber.isValid("11010519491231002x")).isTrue();
    assertThat(ResidentIdNumber.checkCharacter("11010519491231002")).isEqualTo('X');
    assertThat(ResidentIdNumber.isValid("210203199001021234")).isTrue();
    assertThat(ResidentIdNumber.isValid("210203199001021235")).isFalse(); // wrong check digit
    assertThat(ResidentIdNumber.isValid("210203199002301234")).isFalse(); // 30 February
    assertThat(ResidentIdNumber.isValid("21020319900102123")).isFalse();
    assertThat(ResidentIdNumber.isValid(null)).isFalse();
    assertThatThrownBy(() -> ResidentIdNumber.checkCharacter("12")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void residentIdKeepsFirstAndLastFour() {
    assertThat(Masks.residentId("210203199001021234")).isEqualTo("2102**********1234");
    assertThat(Masks.residentId("11010519491231002X")).isEqualTo("1101**********002X");
    assertThat(Masks.residentId("210203199001021235")).isEqualTo("******************");
    assertThat(Masks.residentId("not an id")).isEqualTo("*********");
    assertThat(Masks.residentId(null)).isEmpty();
  }

  @Test
  void namesKeepTheSurname() {
    assertThat(Masks.name("张三")).isEqualTo("张*");
    assertThat(Masks.name("王小明")).isEqualTo("王**");
    assertThat(Masks.name("欧阳娜娜")).isEqualTo("欧阳**");
    assertThat(Masks.name("欧阳")).isEqualTo("欧*");
    assertThat(Masks.name("买买提·艾力")).isEqualTo("买*****");
    assertThat(Masks.name("𠀋一")).isEqualTo("𠀋*"); // supplementary-plane surname stays whole
    assertThat(Masks.name("李")).isEqualTo("*");
    assertThat(Masks.name(null)).isEmpty();
  }

  @Test
  void phonesAndBankAccounts() {
    assertThat(Masks.phone("13812345678")).isEqualTo("138****5678");
    assertThat(Masks.phone("+86 138-1234-5678")).isEqualTo("138****5678");
    assertThat(Masks.phone("0411-84661234")).isEqualTo("********1234");
    assertThat(Masks.phone("123")).isEqualTo("***");
    assertThat(Masks.bankAccount("6222 0212 3456 7890 123")).isEqualTo("***************0123");
    assertThat(Masks.bankAccount("1234")).isEqualTo("****");
    assertThat(Masks.bankAccount(null)).isEmpty();
  }
}
