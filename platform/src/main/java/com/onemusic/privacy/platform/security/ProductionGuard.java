package com.onemusic.privacy.platform.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * With the {@code prod} profile a service refuses to start on development settings:
 * security switched off, tokens trusted from a development issuer on this machine, or any
 * development secret (the shipped defaults all say {@code dev-only}, in clear or in
 * base64). The message names the properties, never their values.
 */
public class ProductionGuard implements EnvironmentPostProcessor, Ordered {

	/** The profile that production runs with. */
	public static final String PROFILE = "prod";

	private static final String MARK = "dev-only";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!Set.of(environment.getActiveProfiles()).contains(PROFILE)) {
			return;
		}
		List<String> problems = problems(environment);
		if (!problems.isEmpty()) {
			throw new IllegalStateException(
					"The prod profile refuses to start with development settings: " + String.join("; ", problems));
		}
	}

	/**
	 * What keeps an environment from running in production, by property name (never by
	 * value); also used to check deployment manifests.
	 * @param environment the environment a service would start with
	 * @return the problems, empty when the environment may run in production
	 */
	public static List<String> problems(ConfigurableEnvironment environment) {
		List<String> problems = new ArrayList<>();
		if (!environment.getProperty("privacy.security.enabled", Boolean.class, true)) {
			problems.add("privacy.security.enabled is false");
		}
		String jwks = environment.getProperty("privacy.security.jwks-uri");
		if (jwks == null || jwks.isBlank()) {
			problems.add("privacy.security.jwks-uri is not set");
		}
		else if (isLocal(jwks)) {
			problems.add("privacy.security.jwks-uri points at this machine (a development token issuer)");
		}
		Set<String> development = new TreeSet<>();
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (source instanceof EnumerablePropertySource<?> enumerable) {
				for (String name : enumerable.getPropertyNames()) {
					String value = safeValue(environment, name);
					if (value != null && isDevelopmentSecret(value)) {
						development.add(name);
					}
				}
			}
		}
		if (!development.isEmpty()) {
			problems.add("development secrets in " + development);
		}
		return problems;
	}

	private static String safeValue(ConfigurableEnvironment environment, String name) {
		try {
			return environment.getProperty(name);
		}
		catch (RuntimeException unresolvable) {
			return null;
		}
	}

	/**
	 * Whether a value is one of the shipped development secrets.
	 * @param value a property value
	 * @return whether it says {@code dev-only}, in clear or in base64
	 */
	public static boolean isDevelopmentSecret(String value) {
		if (value.toLowerCase(Locale.ROOT).contains(MARK)) {
			return true;
		}
		String encoded = value.startsWith("whsec_") ? value.substring("whsec_".length()) : value;
		if (encoded.length() < 12 || encoded.length() > 512) {
			return false;
		}
		try {
			return new String(Base64.getDecoder().decode(encoded), StandardCharsets.ISO_8859_1).contains(MARK);
		}
		catch (IllegalArgumentException notBase64) {
			return false;
		}
	}

	private static boolean isLocal(String uri) {
		try {
			String host = URI.create(uri).getHost();
			return host == null || host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
