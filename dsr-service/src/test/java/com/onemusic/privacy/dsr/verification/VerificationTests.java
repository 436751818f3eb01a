package com.onemusic.privacy.dsr.verification;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * One-time codes, session assertions and the masking of contacts.
 */
class VerificationTests {

	private static final String SECRET = "a-test-secret-of-at-least-32-bytes-long";

	private final SessionAssertions assertions = new SessionAssertions("account", "dsr-service", SECRET,
			Duration.ofMinutes(10));

	private final Instant now = Instant.parse("2026-03-01T08:00:00Z");

	@Test
	void aCodeIsStoredOnlyAsAKeyedHashBoundToItsRequest() {
		OneTimeCodes codes = new OneTimeCodes(6, "pepper");
		String code = codes.generate();
		assertThat(code).matches("\\d{6}");
		String hash = codes.hash("dsr-1", code);
		assertThat(hash).doesNotContain(code).hasSize(64);
		assertThat(codes.matches("dsr-1", code, hash)).isTrue();
		assertThat(codes.matches("dsr-2", code, hash)).as("bound to the request").isFalse();
		assertThat(new OneTimeCodes(6, "other pepper").matches("dsr-1", code, hash)).as("keyed").isFalse();
		assertThat(codes.matches("dsr-1", null, hash)).isFalse();
	}

	@Test
	void aValidAssertionOfTheUserIsAccepted() {
		String token = this.assertions.issue("u-1", this.now.minusSeconds(30), Duration.ofMinutes(5));
		this.assertions.verify(token, "u-1", this.now);
	}

	@Test
	void assertionsThatProveNothingAreRefusedWithTheReason() {
		refused(this.assertions.issue("u-2", this.now, Duration.ofMinutes(5)), "subject");
		refused(this.assertions.issue("u-1", this.now.minus(Duration.ofMinutes(20)), Duration.ofMinutes(5)), "expired");
		refused(this.assertions.issue("u-1", this.now.minus(Duration.ofMinutes(15)), Duration.ofHours(1)),
				"issued more than 10 minutes ago");
		refused(new SessionAssertions("someone-else", "dsr-service", SECRET, Duration.ofMinutes(10)).issue("u-1",
				this.now, Duration.ofMinutes(5)), "issuer");
		refused(new SessionAssertions("account", "dsr-service", SECRET.replace('a', 'b'), Duration.ofMinutes(10))
			.issue("u-1", this.now, Duration.ofMinutes(5)), "signature does not match");
		String token = this.assertions.issue("u-1", this.now, Duration.ofMinutes(5));
		String[] parts = token.split("\\.");
		String none = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
		refused(none + "." + parts[1] + ".", "algorithm");
		refused("not-a-token", "not a signed JWT");
	}

	@Test
	void aShortSecretIsRefusedAtStartUp() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SessionAssertions("account", "dsr-service", "short", Duration.ofMinutes(10)))
			.withMessageContaining("32 bytes");
	}

	@Test
	void contactsAreCheckedAndShownMasked() {
		assertThat(new Contact(Contact.Kind.SMS, "13812345678").masked()).isEqualTo("138****5678");
		assertThat(new Contact(Contact.Kind.EMAIL, "zhang.san@example.com").masked()).isEqualTo("z***@example.com");
		assertThat(new Contact(Contact.Kind.SMS, "12812345678").valid()).isFalse();
		assertThat(new Contact(Contact.Kind.SMS, "1381234567").valid()).isFalse();
		assertThat(new Contact(Contact.Kind.EMAIL, "not-an-address").valid()).isFalse();
		assertThat(new Contact(Contact.Kind.EMAIL, "a@b.cn").valid()).isTrue();
	}

	private void refused(String token, String reason) {
		assertThatExceptionOfType(SessionAssertions.InvalidAssertion.class)
			.isThrownBy(() -> this.assertions.verify(token, "u-1", this.now))
			.withMessageContaining(reason);
	}

}
