package com.onemusic.privacy.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The key set a rotation goes through: values name their key, a retired key still opens,
 * a value under a key not configured says which key it needs.
 */
class SealingKeysTests {

	private static final String OLD = Base64.getEncoder().encodeToString(new byte[32]);

	private static final String NEW = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

	private static final byte[] FOR = "user-1".getBytes(StandardCharsets.UTF_8);

	@Test
	void aValueSealedUnderARetiredKeyStillOpensAndNamesItsKey() throws GeneralSecurityException {
		SealingKeys before = keys(OLD, List.of());
		String sealed = before.seal("secret".getBytes(StandardCharsets.UTF_8), FOR);
		assertThat(sealed).startsWith("sealed:test:" + before.currentId() + ":");
		assertThat(before.isSealed(sealed)).isTrue();
		assertThat(before.isSealedUnderCurrent(sealed)).isTrue();

		SealingKeys rotated = keys(NEW, List.of(OLD));
		assertThat(rotated.retiredIds()).containsExactly(before.currentId());
		assertThat(rotated.isSealedUnderCurrent(sealed)).isFalse();
		assertThat(new String(rotated.open(sealed, FOR), StandardCharsets.UTF_8)).isEqualTo("secret");
		assertThat(rotated.all()).hasSize(2);
		assertThatExceptionOfType(GeneralSecurityException.class)
			.isThrownBy(() -> rotated.open(sealed, "user-2".getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void aValueUnderAKeyNotConfiguredSaysWhichKeyItNeeds() {
		SealingKeys before = keys(OLD, List.of());
		String sealed = before.seal(new byte[] { 1 }, FOR);
		assertThatExceptionOfType(SealingKeys.UnknownKeyException.class)
			.isThrownBy(() -> keys(NEW, List.of()).open(sealed, FOR))
			.satisfies((ex) -> assertThat(ex.keyId()).isEqualTo(before.currentId()));
		assertThat(keys(NEW, List.of()).isSealed("plain")).isFalse();
	}

	@Test
	void theSameKeyHasDifferentIdsUnderDifferentLabels() {
		assertThat(new SealingKeys("p:", "one\n", OLD, "a", null, "b").currentId())
			.isNotEqualTo(new SealingKeys("p:", "two\n", OLD, "a", null, "b").currentId());
		assertThatIllegalStateException().isThrownBy(() -> keys(OLD, List.of("short")))
			.withMessageContaining("test.retired");
	}

	private static SealingKeys keys(String current, List<String> retired) {
		return new SealingKeys("sealed:test:", "test key id\n", current, "test.current", retired, "test.retired");
	}

}
