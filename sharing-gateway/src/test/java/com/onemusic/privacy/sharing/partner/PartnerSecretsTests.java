package com.onemusic.privacy.sharing.partner;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.onemusic.privacy.events.PartnerCategory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Partner secrets sealed for storage: they open only for the partner and field they were
 * sealed for, under a key the gateway has; older plaintext values and values under a
 * retired key are read and marked for sealing again.
 */
class PartnerSecretsTests {

	private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	private final String key = newKey();

	private final PartnerSecrets secrets = new PartnerSecrets(this.key, List.of());

	@Test
	void aSealedSecretOpensAndShowsNothingOfItself() {
		String sealed = this.secrets.seal("swift-logistics", "webhookSecret", SECRET);
		assertThat(sealed).startsWith("sealed:v1:").doesNotContain(SECRET).doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2");
		assertThat(this.secrets.seal("swift-logistics", "webhookSecret", SECRET)).as("a new nonce each time")
			.isNotEqualTo(sealed);
		assertThat(this.secrets.open("swift-logistics", "webhookSecret", sealed)).isEqualTo(SECRET);
		assertThat(this.secrets.needsSealing(sealed)).isFalse();
		assertThat(this.secrets.seal("swift-logistics", "previousWebhookSecret", null)).isNull();
		assertThat(this.secrets.open("swift-logistics", "previousWebhookSecret", null)).isNull();
	}

	@Test
	void aSealedSecretDoesNotOpenForAnotherPartnerOrFieldOrWhenAltered() {
		String sealed = this.secrets.seal("swift-logistics", "webhookSecret", SECRET);
		assertThatIllegalStateException()
			.isThrownBy(() -> this.secrets.open("insight-metrics", "webhookSecret", sealed))
			.withMessageContaining("does not open");
		assertThatIllegalStateException()
			.isThrownBy(() -> this.secrets.open("swift-logistics", "callbackSecrets[0]", sealed));
		byte[] bytes = Base64.getDecoder().decode(sealed.substring(sealed.lastIndexOf(':') + 1));
		bytes[bytes.length - 1] ^= 1;
		String altered = sealed.substring(0, sealed.lastIndexOf(':') + 1) + Base64.getEncoder().encodeToString(bytes);
		assertThatIllegalStateException()
			.isThrownBy(() -> this.secrets.open("swift-logistics", "webhookSecret", altered))
			.withMessageNotContaining(SECRET);
	}

	@Test
	void aPlaintextSecretFromBeforeSealingIsReadAndMarkedForSealing() {
		assertThat(this.secrets.open("swift-logistics", "webhookSecret", SECRET)).isEqualTo(SECRET);
		assertThat(this.secrets.needsSealing(SECRET)).isTrue();
	}

	@Test
	void afterARotationTheRetiredKeyStillOpensAndItsValuesAreMarkedForSealing() {
		String underOld = this.secrets.seal("swift-logistics", "webhookSecret", SECRET);
		PartnerSecrets rotated = new PartnerSecrets(newKey(), List.of(this.key));
		assertThat(rotated.open("swift-logistics", "webhookSecret", underOld)).isEqualTo(SECRET);
		assertThat(rotated.needsSealing(underOld)).isTrue();
		String underNew = rotated.seal("swift-logistics", "webhookSecret", SECRET);
		assertThat(rotated.needsSealing(underNew)).isFalse();

		PartnerSecrets withoutOld = new PartnerSecrets(newKey(), List.of());
		assertThatIllegalStateException()
			.isThrownBy(() -> withoutOld.open("swift-logistics", "webhookSecret", underOld))
			.withMessageContaining("sealed under a key this gateway does not have")
			.withMessageContaining("sharing.retired-secrets-keys")
			.withMessageNotContaining(this.key);
	}

	@Test
	void aWholePartnerIsSealedAndOpenedSecretBySecret() {
		Partner partner = new Partner("swift-logistics", "Swift", PartnerCategory.SERVICE_PROVIDER, true,
				"https://partner.example/hook", SECRET, "whsec_cHJldmlvdXMtc2VjcmV0LW9mLTI0LWJ5dGVz",
				List.of("whsec_Y2FsbGJhY2stc2VjcmV0LW9mLTI0LWJ5dGVz"), Map.of(), Partner.API, Instant.now());
		Partner sealed = this.secrets.sealed(partner);
		assertThat(List.of(sealed.webhookSecret(), sealed.previousWebhookSecret(), sealed.callbackSecrets().get(0)))
			.allSatisfy((value) -> assertThat(value).startsWith("sealed:v1:").doesNotContain("whsec_"));
		assertThat(this.secrets.needsSealing(sealed)).isFalse();
		assertThat(this.secrets.needsSealing(partner)).isTrue();
		Partner opened = this.secrets.opened(sealed);
		assertThat(opened.webhookSecret()).isEqualTo(partner.webhookSecret());
		assertThat(opened.previousWebhookSecret()).isEqualTo(partner.previousWebhookSecret());
		assertThat(opened.callbackSecrets()).isEqualTo(partner.callbackSecrets());
	}

	@Test
	void aKeyThatIsNotBase64Of32BytesIsRefusedNamingTheProperty() {
		assertThatIllegalStateException().isThrownBy(() -> new PartnerSecrets("not base64!", List.of()))
			.withMessageContaining("sharing.secrets-key");
		String short16 = Base64.getEncoder().encodeToString(new byte[16]);
		assertThatIllegalStateException().isThrownBy(() -> new PartnerSecrets(this.key, List.of(short16)))
			.withMessageContaining("sharing.retired-secrets-keys");
	}

	private static String newKey() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return Base64.getEncoder().encodeToString(bytes);
	}

}
