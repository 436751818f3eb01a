package com.onemusic.privacy.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import com.onemusic.privacy.platform.security.ProductionGuard;

/**
 * What counts as a secret in the manifests.
 */
final class Secrets {

	private static final Pattern URI_WITH_PASSWORD = Pattern.compile("[a-z][a-z0-9+.-]*://[^/@\\s]+:[^/@\\s]+@.*");

	/** Long runs of base64 or hex, as keys are written. */
	private static final Pattern KEY_MATERIAL = Pattern.compile("[A-Za-z0-9+/_-]{32,}={0,2}");

	private Secrets() {
	}

	/**
	 * Whether a value looks like a secret: a webhook secret, a JWT, a private key, a
	 * connection string with a password that is not a reference, or key material.
	 */
	static boolean looksSecret(String value) {
		return value.contains("whsec_") || value.contains("-----BEGIN") || value.startsWith("eyJ")
				|| (URI_WITH_PASSWORD.matcher(value).matches() && !value.contains("$("))
				|| KEY_MATERIAL.matcher(value).matches() || ProductionGuard.isDevelopmentSecret(value);
	}

	/**
	 * The environment variables that set the properties a service ships a development
	 * secret in (outside profile-specific sections): these must come from Secrets.
	 */
	static Set<String> developmentSecretVariables(String service) {
		Set<String> variables = new TreeSet<>();
		try {
			for (PropertySource<?> document : new YamlPropertySourceLoader().load(service,
					new ClassPathResource(service + ".yml"))) {
				EnumerablePropertySource<?> enumerable = (EnumerablePropertySource<?>) document;
				if (enumerable.containsProperty("spring.config.activate.on-profile")) {
					continue;
				}
				for (String property : enumerable.getPropertyNames()) {
					if (ProductionGuard.isDevelopmentSecret(String.valueOf(enumerable.getProperty(property)))) {
						variables.add(property.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT));
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return variables;
	}

}
