package com.onemusic.privacy.consent.policy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyHistoryTests {

	private static PolicyVersion version(String name, long order, MaterialChange... changes) {
		return new PolicyVersion(name, order, null, "https://example/" + name, Instant.EPOCH, Instant.EPOCH,
				List.of(changes), UUID.randomUUID(), true);
	}

	private final PolicyHistory history = new PolicyHistory(List.of(
			version("2026.03", 2,
					new MaterialChange(MaterialChange.Kind.SHARING_RECIPIENTS, List.of("sharing.service-providers"),
							"new logistics partner")),
			version("2026.01", 1), version("2026.06", 3, new MaterialChange(MaterialChange.Kind.PURPOSE,
					List.of("purpose.marketing-push"), "new purpose"))));

	@Test
	void theLastPublishedVersionIsInForce() {
		assertThat(this.history.current()).hasValueSatisfying((v) -> assertThat(v.version()).isEqualTo("2026.06"));
		assertThat(this.history.versions()).extracting(PolicyVersion::version)
			.containsExactly("2026.01", "2026.03", "2026.06");
	}

	@Test
	void aGrantIsStaleOnceALaterVersionChangesItsScopeMaterially() {
		assertThat(this.history.staleBy("sharing.service-providers", "2026.01"))
			.hasValueSatisfying((v) -> assertThat(v.version()).isEqualTo("2026.03"));
		assertThat(this.history.staleBy("sharing.service-providers", "2026.03")).isEmpty();
		assertThat(this.history.staleBy("purpose.marketing-push", "2026.03"))
			.hasValueSatisfying((v) -> assertThat(v.version()).isEqualTo("2026.06"));
		assertThat(this.history.staleBy("permission.location", "2026.01")).isEmpty();
	}

}
