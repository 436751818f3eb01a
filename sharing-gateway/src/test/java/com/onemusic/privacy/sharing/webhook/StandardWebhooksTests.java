package com.onemusic.privacy.sharing.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.onemusic.privacy.sharing.webhook.StandardWebhooks.Verdict;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signatures as the Standard Webhooks specification defines them, checked against the
 * specification's own test vector (the one its reference libraries test with).
 */
class StandardWebhooksTests {

	static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";

	static final long TIMESTAMP = 1614265330;

	static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

	static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

	static final Instant THEN = Instant.ofEpochSecond(TIMESTAMP);

	@Test
	void signsTheSpecificationsTestVector() {
		assertThat(StandardWebhooks.sign(SECRET, ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
	}

	/** The examples of the partner page (README.md), byte for byte. */
	@Test
	void signsTheExamplesOfThePartnerPage() {
		String webhook = "{\"type\":\"personal_data.deletion_requested\",\"timestamp\":\"2026-11-29T08:00:00Z\","
				+ "\"data\":{\"requestId\":\"dsr-5f1c2a9e\",\"userReference\":\"ur_Qk3v9s0LwZl1m2n3o4p5q6r7\","
				+ "\"kind\":\"DELETION\",\"dataCategories\":[\"address\",\"orders\",\"phone\"],"
				+ "\"dueDate\":\"2026-12-18\","
				+ "\"callbackUrl\":\"https://privacy.onemusic.example/partners/swift-logistics/callbacks\"}}";
		assertThat(StandardWebhooks.sign(SECRET, "msg_3f0c6a1e5b2d4e8f9a7c1b2d3e4f5a6b", 1795939200,
				webhook.getBytes(StandardCharsets.UTF_8)))
			.isEqualTo("v1,ROydGjyCMzIFpg6OsojsaCEeG3IFVovOxKdCeGmkBbU=");
		String callback = "{\"type\":\"personal_data.deletion_confirmed\",\"timestamp\":\"2026-11-29T09:30:00Z\","
				+ "\"data\":{\"requestId\":\"dsr-5f1c2a9e\",\"status\":\"DONE\"}}";
		assertThat(StandardWebhooks.sign(SECRET, "msg_partner_0001", 1795944600,
				callback.getBytes(StandardCharsets.UTF_8)))
			.isEqualTo("v1,zZWJUCtOPruwyRX3T4dyziACVoTuSODbsOvdOjlhLms=");
	}

	@Test
	void verifiesWithinTheToleranceAndWithAnyOfTheSecretsAndSignatures() {
		assertThat(verify(List.of(SECRET), SIGNATURE, THEN.plusSeconds(299))).isEqualTo(Verdict.VALID);
		assertThat(verify(List.of(SECRET), SIGNATURE, THEN.minusSeconds(299))).isEqualTo(Verdict.VALID);
		// Two secrets while one is rotated; several signatures in one header.
		assertThat(verify(List.of("whsec_" + "A".repeat(32), SECRET), SIGNATURE, THEN)).isEqualTo(Verdict.VALID);
		assertThat(verify(List.of(SECRET), "v1,AAAA v2,xyz " + SIGNATURE, THEN)).isEqualTo(Verdict.VALID);
	}

	@Test
	void refusesAnotherSecretAChangedBodyAStaleTimestampAndMissingHeaders() {
		assertThat(verify(List.of("whsec_" + "A".repeat(32)), SIGNATURE, THEN)).isEqualTo(Verdict.BAD_SIGNATURE);
		assertThat(StandardWebhooks.verify(List.of(SECRET), ID, Long.toString(TIMESTAMP), SIGNATURE,
				"{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8), THEN, Duration.ofMinutes(5)))
			.isEqualTo(Verdict.BAD_SIGNATURE);
		assertThat(verify(List.of(SECRET), SIGNATURE, THEN.plusSeconds(301)))
			.isEqualTo(Verdict.TIMESTAMP_OUT_OF_TOLERANCE);
		assertThat(
				StandardWebhooks.verify(List.of(SECRET), ID, "yesterday", SIGNATURE, BODY, THEN, Duration.ofMinutes(5)))
			.isEqualTo(Verdict.TIMESTAMP_OUT_OF_TOLERANCE);
		assertThat(StandardWebhooks.verify(List.of(SECRET), null, Long.toString(TIMESTAMP), SIGNATURE, BODY, THEN,
				Duration.ofMinutes(5)))
			.isEqualTo(Verdict.MISSING_HEADERS);
		assertThat(verify(List.of(SECRET), "v1,not base64!", THEN)).isEqualTo(Verdict.BAD_SIGNATURE);
	}

	private static Verdict verify(List<String> secrets, String signature, Instant now) {
		return StandardWebhooks.verify(secrets, ID, Long.toString(TIMESTAMP), signature, BODY, now,
				Duration.ofMinutes(5));
	}

}
