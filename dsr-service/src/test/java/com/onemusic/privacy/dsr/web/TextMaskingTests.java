package com.onemusic.privacy.dsr.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Personal data in free text shown to operators is masked; other numbers are not. */
class TextMaskingTests {

	@Test
	void phoneIdentityNumberAndEmailAreMasked() {
		assertThat(TextMasking.mask("请把手机号改为13812345678，邮箱 zhang.san@example.com，身份证110101199003071234"))
			.isEqualTo("请把手机号改为138****5678，邮箱 z***@example.com，身份证1101**********1234");
		assertThat(TextMasking.mask("ID 11010119900307123X")).isEqualTo("ID 1101**********123X");
	}

	@Test
	void otherNumbersAreLeftAlone() {
		assertThat(TextMasking.mask("订单号 202603011234 共 3 件")).isEqualTo("订单号 202603011234 共 3 件");
		assertThat(TextMasking.mask(null)).isNull();
	}

}
