package com.onemusic.privacy.consent.scope;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.onemusic.privacy.consent.TestCatalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ScopeCatalogTests {

	@Test
	void necessaryProcessingNeedsNoConsent() {
		ScopeCatalog catalog = TestCatalog.catalog();
		assertThat(catalog.find("necessary.account"))
			.hasValueSatisfying((scope) -> assertThat(scope.requiresConsent()).isFalse());
		assertThat(catalog.find("permission.location"))
			.hasValueSatisfying((scope) -> assertThat(scope.requiresConsent()).isTrue());
		assertThat(catalog.contains("purpose.unknown")).isFalse();
	}

	@Test
	void duplicateCodesMalformedCodesAndSharingWithoutPartnersAreRefused() {
		Scope one = new Scope("purpose.a", ScopeKind.PURPOSE, "A", "a", List.of(), false, null);
		assertThatIllegalArgumentException().isThrownBy(() -> new ScopeCatalog(List.of(one, one)))
			.withMessageContaining("defined twice");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Scope("Purpose A", ScopeKind.PURPOSE, "A", "a", List.of(), false, null))
			.withMessageContaining("must look like");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Scope("sharing.x", ScopeKind.SHARING, "X", "x", List.of(), false, null))
			.withMessageContaining("partner category");
		assertThatIllegalArgumentException().isThrownBy(() -> new ScopeCatalog(List.of()))
			.withMessageContaining("empty");
	}

}
