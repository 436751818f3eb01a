package com.onemusic.privacy.platform.security;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The prod profile refuses development settings, naming the properties and never their
 * values; other profiles start as they are.
 */
class ProductionGuardTests {

	private static final String DEV_KEY = "ZGV2LW9ubHktbWFzdGVyLWtleS0zMi1ieXRlcy0hISE=";

	@Test
	void prodRefusesDevelopmentSecretsSecurityOffAndALocalIssuer() {
		Map<String, Object> settings = new HashMap<>(production());
		settings.put("anonymizer.master-key", DEV_KEY);
		settings.put("dsr.verification.code-secret", "dev-only-code-secret-change-me");
		settings.put("sharing.partners[0].webhook-secret", "whsec_ZGV2LW9ubHktc3dpZnQtbG9naXN0aWNzLXdlYmhvb2s=");
		settings.put("privacy.security.enabled", "false");
		settings.put("privacy.security.jwks-uri", "http://127.0.0.1:8090/jwks");
		assertThatIllegalStateException().isThrownBy(() -> guard(settings, "prod"))
			.withMessageContaining("privacy.security.enabled is false")
			.withMessageContaining("points at this machine")
			.withMessageContaining("anonymizer.master-key")
			.withMessageContaining("dsr.verification.code-secret")
			.withMessageContaining("sharing.partners[0].webhook-secret")
			.withMessageNotContaining(DEV_KEY)
			.withMessageNotContaining("change-me");
	}

	@Test
	void prodStartsWithRealSettingsAndOtherProfilesWithDevelopmentOnes() {
		assertThatNoException().isThrownBy(() -> guard(production(), "prod"));
		Map<String, Object> development = new HashMap<>(production());
		development.put("anonymizer.master-key", DEV_KEY);
		development.put("privacy.security.enabled", "false");
		assertThatNoException().isThrownBy(() -> guard(development, "default"));
		assertThat(ProductionGuard.isDevelopmentSecret("c2VjcmV0LXByb2R1Y3Rpb24ta2V5LTMyLWJ5dGVzLSEhIQ==")).isFalse();
	}

	private static Map<String, Object> production() {
		return Map.of("privacy.security.jwks-uri", "https://login.onemusic.example/.well-known/jwks.json",
				"anonymizer.master-key", "c2VjcmV0LXByb2R1Y3Rpb24ta2V5LTMyLWJ5dGVzLSEhIQ==");
	}

	private static void guard(Map<String, Object> settings, String profile) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
		environment.setActiveProfiles(profile);
		new ProductionGuard().postProcessEnvironment(environment, new SpringApplication());
	}

}
