package com.onemusic.privacy.personal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each detector with valid values and near misses, in Chinese text without spaces around
 * the values, and what wins where matches overlap.
 */
class PersonalDataDetectorTests {

	private final PersonalDataDetector detector = new PersonalDataDetector(
			Clock.fixed(Instant.parse("2026-11-29T00:00:00Z"), ZoneOffset.UTC));

	@ParameterizedTest(name = "{0} is a {1}")
	@CsvSource({ "13812345678, MOBILE_NUMBER", "+86 13812345678, MOBILE_NUMBER", "8619912345678, MOBILE_NUMBER",
			"11010519491231002X, RESIDENT_ID", "11010519491231002x, RESIDENT_ID", "44030419900307123X, RESIDENT_ID",
			"110101200002290018, RESIDENT_ID", "91350100M000100Y43, SOCIAL_CREDIT_CODE",
			"91110000600037341L, SOCIAL_CREDIT_CODE", "6222021234567890128, BANK_CARD",
			"6222 0212 3456 7890 128, BANK_CARD", "6217001234123412346, BANK_CARD", "490154203237518, IMEI",
			"zhang.san@example.com, EMAIL", "user+tag@mail.example.cn, EMAIL", "192.168.1.20, IPV4", "8.8.8.8, IPV4",
			"2001:db8::8a2e:370:7334, IPV6", "fe80::1, IPV6", "2001:0db8:0000:0000:0000:ff00:0042:8329, IPV6",
			"00:1A:2B:3C:4D:5E, MAC_ADDRESS", "00-1a-2b-3c-4d-5e, MAC_ADDRESS",
			"6D92078A-8246-4BA4-AE5B-76104861E7DC, DEVICE_UUID" })
	void findsAValidValueInsideChineseText(String value, PersonalDataKind kind) {
		List<Match> found = this.detector.find("用户" + value + "的记录");
		assertThat(found).singleElement().satisfies((match) -> {
			assertThat(match.kind()).isEqualTo(kind);
			assertThat(match.value()).isEqualTo(value);
			assertThat(match.start()).isEqualTo(2);
		});
	}

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource(delimiter = '|', value = { "12812345678|no mobile number starts with 12", "138123456789|twelve digits",
			"1381234567|ten digits", "110105194912310021|resident id with a wrong check character",
			"110101200102290015|resident id born on 29 February 2001",
			"110101300001010019|resident id born in the year 3000", "202611290000123456|an order number of 18 digits",
			"91350100M000100Y44|credit code with a wrong check character",
			"91350100M0001O0Y43|credit code with the letter O",
			"6222021234567890127|card number failing the Luhn check", "490154203237519|IMEI failing the Luhn check",
			"zhang.san@localhost|address without a domain", "256.1.1.1|an octet above 255", "1.2.3|three numbers",
			"version 1.2.3.4.5|a version number", "01.02.03.04|leading zeros", "12:30:45|a time",
			"2001:db8:::1|three colons", "00:1A:2B:3C:4D|five groups", "00:1A-2B:3C:4D:5E|mixed separators",
			"6D92078A-8246-4BA4-AE5B-76104861E7D|short UUID", "订单号 202603011234 共 3 件|order number and count" })
	void doesNotTakeANearMissForPersonalData(String text, String why) {
		assertThat(this.detector.find(text)).as(why).isEmpty();
	}

	@Test
	void theMoreSpecificKindWinsWhereMatchesOverlap() {
		assertThat(this.detector.find("联系13812345678@163.com")).singleElement()
			.satisfies((match) -> assertThat(match.kind()).isEqualTo(PersonalDataKind.EMAIL));
		// An 18-digit identity number that would pass Luhn is still an identity number.
		assertThat(this.detector.find("身份证110101200002290018")).extracting(Match::kind)
			.containsExactly(PersonalDataKind.RESIDENT_ID);
	}

	@Test
	void findsEveryValueOfAMixedTextInOrder() {
		String text = "张三，手机13812345678，身份证11010519491231002X，邮箱zhang.san@example.com，IP 10.0.0.1";
		assertThat(this.detector.find(text)).extracting(Match::kind)
			.containsExactly(PersonalDataKind.MOBILE_NUMBER, PersonalDataKind.RESIDENT_ID, PersonalDataKind.EMAIL,
					PersonalDataKind.IPV4);
		assertThat(this.detector.scrub(text)).isEqualTo("张三，手机[MOBILE_NUMBER]，身份证[RESIDENT_ID]，邮箱[EMAIL]，IP [IPV4]");
		assertThat(this.detector.mask(text))
			.isEqualTo("张三，手机138****5678，身份证110105***********X，邮箱z***@example.com，IP 10.0.*.*");
		assertThat(this.detector.contains("没有个人信息")).isFalse();
		assertThat(this.detector.scrub(null)).isNull();
	}

}
