package com.onemusic.privacy.deploy;

import java.util.regex.Pattern;

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

}
