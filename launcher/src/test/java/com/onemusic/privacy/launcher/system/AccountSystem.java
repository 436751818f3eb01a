package com.onemusic.privacy.launcher.system;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The company's account system, as far as the privacy services see it: it vouches for a
 * user in a logged-in session with a short-lived HS256 assertion that dsr-service checks
 * (issuer, audience and development key of {@code dsr-service.yml}).
 */
final class AccountSystem {

	/** The development key of the local system, never a production one. */
	private static final String ASSERTION_SECRET = "dev-only-assertion-secret-change-me-0123456789";

	private AccountSystem() {
	}

	/**
	 * An assertion that the user is logged in now, valid for five minutes.
	 * @param user the user
	 * @return the compact JWT
	 */
	static String sessionAssertion(String user) {
		Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
		long now = Instant.now().getEpochSecond();
		String header = encoder.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
		String claims = encoder
			.encodeToString(("{\"iss\":\"onemusic-account-service\",\"aud\":\"dsr-service\",\"sub\":\"" + user
					+ "\",\"iat\":" + now + ",\"exp\":" + (now + 300) + "}")
				.getBytes(StandardCharsets.UTF_8));
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(ASSERTION_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return header + "." + claims + "."
					+ encoder.encodeToString(mac.doFinal((header + "." + claims).getBytes(StandardCharsets.US_ASCII)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
