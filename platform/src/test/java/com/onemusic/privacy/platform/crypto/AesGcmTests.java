package com.onemusic.privacy.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A sealed value opens only under its key and with the associated data it was sealed
 * with; keys come from configuration as base64 of 32 bytes.
 */
class AesGcmTests {

	private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private final AesGcm aes = new AesGcm(KEY);

	@Test
	void aSealedValueOpensWithItsAssociatedDataOnly() throws GeneralSecurityException {
		byte[] value = "whsec_secret".getBytes(StandardCharsets.UTF_8);
		String sealed = this.aes.seal(value, bytes("partner-a"));
		assertThat(this.aes.seal(value, bytes("partner-a"))).as("a new nonce each time").isNotEqualTo(sealed);
		assertThat(this.aes.open(sealed, bytes("partner-a"))).isEqualTo(value);
		assertThatExceptionOfType(GeneralSecurityException.class)
			.isThrownBy(() -> this.aes.open(sealed, bytes("partner-b")));
		assertThatExceptionOfType(GeneralSecurityException.class)
			.isThrownBy(() -> new AesGcm(new byte[32]).open(sealed, bytes("partner-a")));
	}

	@Test
	void anAlteredTruncatedOrMalformedValueDoesNotOpen() {
		String sealed = this.aes.seal(bytes("value"), bytes("a"));
		byte[] raw = Base64.getDecoder().decode(sealed);
		raw[raw.length - 1] ^= 1;
		for (String wrong : new String[] { Base64.getEncoder().encodeToString(raw), "AAAA", "not base64!" }) {
			assertThatExceptionOfType(GeneralSecurityException.class)
				.isThrownBy(() -> this.aes.open(wrong, bytes("a")));
		}
	}

	@Test
	void aConfiguredKeyMustBeBase64Of32Bytes() {
		assertThat(AesGcm.key(Base64.getEncoder().encodeToString(KEY), "x.key")).isEqualTo(KEY);
		assertThatIllegalStateException().isThrownBy(() -> AesGcm.key("not base64!", "x.key"))
			.withMessageContaining("x.key");
		assertThatIllegalStateException()
			.isThrownBy(() -> AesGcm.key(Base64.getEncoder().encodeToString(new byte[16]), "x.key"))
			.withMessageContaining("not 16");
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
