package com.onemusic.privacy.anonymizer.rules;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.onemusic.privacy.personal.PersonalDataDetector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Every transformation, deny by default, and the start-up check of the rules. */
class FieldRulesTests {

	private static final PersonalDataDetector DETECTOR = new PersonalDataDetector();

	private final Transformation.Context context = new Transformation.Context() {

		@Override
		public String pseudonym(String field, String value) {
			return "p(" + field + ":" + value.length() + ")";
		}

		@Override
		public String scrub(String text) {
			return DETECTOR.scrub(text);
		}

	};

	@Test
	void eachTransformationStoresWhatItShould() {
		Map<String, String> specs = new LinkedHashMap<>();
		specs.put("userId", "pseudonym");
		specs.put("eventType", "keep");
		specs.put("device.imsi", "drop");
		specs.put("device.idfa", "pseudonym");
		specs.put("searchKeywords", "scrub");
		specs.put("device.model", "mask:2:1");
		specs.put("gender", "replace:UNSPECIFIED");
		specs.put("birthDate", "generalize-date:year");
		specs.put("registeredOn", "generalize-date:month");
		specs.put("properties.age", "generalize-number:10");
		specs.put("location", "generalize-geo:0.01");
		specs.put("ip", "generalize-ip:24:48");
		specs.put("ip6", "generalize-ip:16:32");
		FieldRules rules = FieldRules.parse("analytics_events", specs);
		Map<String, Object> raw = new LinkedHashMap<>();
		raw.put("userId", "u-42");
		raw.put("eventType", "search");
		raw.put("device.imsi", "460001234567890");
		raw.put("device.idfa", "6D92078A-8246-4BA4-AE5B-76104861E7DC");
		raw.put("searchKeywords", "周杰伦 13812345678");
		raw.put("device.model", "iPhone15");
		raw.put("gender", "F");
		raw.put("birthDate", LocalDate.of(1990, 3, 7));
		raw.put("registeredOn", "2024-11-05");
		raw.put("properties.age", "36");
		raw.put("location", new double[] { 39.9087, 116.3975 });
		raw.put("ip", "203.0.113.77");
		raw.put("ip6", "2001:db8:85a3::8a2e:370:7334");
		raw.put("content", "not mentioned by the rules");

		Map<String, Object> stored = rules.apply(raw, this.context);
		assertThat(stored).containsEntry("userId", "p(userId:4)")
			.containsEntry("eventType", "search")
			.containsEntry("searchKeywords", "周杰伦 [MOBILE_NUMBER]")
			.containsEntry("gender", "UNSPECIFIED")
			.containsEntry("birthDate", "1990")
			.containsEntry("registeredOn", "2024-11")
			.containsEntry("ip", "203.0.113.0/24")
			.containsEntry("ip6", "2001:db8:0:0:0:0:0:0/32")
			.doesNotContainKey("content");
		assertThat(nested(stored, "device")).containsEntry("idfa", "p(device.idfa:36)")
			.containsEntry("model", "iP*****5")
			.doesNotContainKey("imsi");
		assertThat(nested(stored, "properties")).containsEntry("age", "30-39");
		@SuppressWarnings("unchecked")
		java.util.List<Double> cell = (java.util.List<Double>) stored.get("location");
		assertThat(cell.get(0)).isCloseTo(39.90, org.assertj.core.data.Offset.offset(1e-9));
		assertThat(cell.get(1)).isCloseTo(116.39, org.assertj.core.data.Offset.offset(1e-9));
	}

	@Test
	void anIpThatIsNotALiteralIsDroppedNotLookedUp() {
		FieldRules rules = FieldRules.parse("c", Map.of("userId", "pseudonym", "ip", "generalize-ip:24:48"));
		assertThat(rules.apply(Map.of("ip", "example.com"), this.context)).doesNotContainKey("ip");
	}

	@Test
	void invalidRulesAreRefusedAtStartUpNamingEachOne() {
		Map<String, String> specs = new LinkedHashMap<>();
		specs.put("userId", "keep");
		specs.put("ip", "generalize-ip:32:48");
		specs.put("birthDate", "generalize-date:day");
		specs.put("page", "hash");
		specs.put("device.model", "mask:2");
		assertThatIllegalArgumentException().isThrownBy(() -> FieldRules.parse("analytics_events", specs))
			.withMessageContaining("analytics_events.ip: an IP prefix keeps at most 24 bits")
			.withMessageContaining("analytics_events.birthDate: generalize-date keeps 'year' or 'month'")
			.withMessageContaining("analytics_events.page: unknown rule 'hash'")
			.withMessageContaining("analytics_events.device.model: expected mask:<first>:<last>")
			.withMessageContaining("analytics_events.userId: must be 'pseudonym'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> FieldRules.parse("c", Map.of("userId", "pseudonym", "n", "generalize-number:x")))
			.withMessageContaining("c.n: 'generalize-number:x' has a number that is not one");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> nested(Map<String, Object> document, String field) {
		return (Map<String, Object>) document.get(field);
	}

}
