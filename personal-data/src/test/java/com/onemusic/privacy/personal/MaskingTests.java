package com.onemusic.privacy.personal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** What a screen shows of each kind of personal data (policy 4.2.3). */
class MaskingTests {

	@Test
	void masksEachKindAsThePolicyShowsIt() {
		assertThat(Masking.mobile("13812345678")).isEqualTo("138****5678");
		assertThat(Masking.mobile("+8613812345678")).isEqualTo("+86138****5678");
		assertThat(Masking.email("zhang.san@example.com")).isEqualTo("z***@example.com");
		assertThat(Masking.residentId("11010519491231002X")).isEqualTo("110105***********X");
		assertThat(Masking.bankCard("6222 0212 3456 7890 128")).isEqualTo("***************0128");
		assertThat(Masking.name("张三")).isEqualTo("张*");
		assertThat(Masking.name("张小明")).isEqualTo("张**");
		assertThat(Masking.name("欧阳娜娜")).isEqualTo("欧阳**");
		assertThat(Masking.name("欧阳")).as("a two-character name is surname and given name").isEqualTo("欧*");
		assertThat(Masking.name("Li")).isEqualTo("L*");
		assertThat(Masking.keep("ABCDEFGH", 2, 2)).isEqualTo("AB****GH");
		assertThat(Masking.keep("ABC", 2, 2)).isEqualTo("***");
		assertThatIllegalArgumentException().isThrownBy(() -> Masking.keep("ABC", -1, 0));
	}

	@Test
	void masksDeviceAndNetworkIdentifiers() {
		assertThat(Masking.mask(PersonalDataKind.IPV4, "192.168.1.20")).isEqualTo("192.168.*.*");
		assertThat(Masking.mask(PersonalDataKind.IPV6, "2001:db8::8a2e:370:7334")).isEqualTo("2001:db8:*");
		assertThat(Masking.mask(PersonalDataKind.MAC_ADDRESS, "00:1A:2B:3C:4D:5E")).isEqualTo("00:1A:2B:**:**:**");
		assertThat(Masking.mask(PersonalDataKind.DEVICE_UUID, "6D92078A-8246-4BA4-AE5B-76104861E7DC"))
			.isEqualTo("6D92078A-****-****-****-************");
		assertThat(Masking.mask(PersonalDataKind.IMEI, "490154203237518")).isEqualTo("49015420*******");
		assertThat(Masking.mask(PersonalDataKind.SOCIAL_CREDIT_CODE, "91350100M000100Y43"))
			.isEqualTo("91350100*********3");
	}

}
