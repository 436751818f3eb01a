package com.onemusic.privacy.dsr.verification;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks the account system's assertion that a request was made inside a logged-in
 * session of the user: a JWT (RFC 7519) signed with HS256 whose {@code sub} is the user,
 * {@code iss} the account system, {@code aud} this service, issued within the last few
 * minutes and not expired.
 */
public class SessionAssertions {

	private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final String issuer;

	private final String audience;

	private final byte[] secret;

	private final Duration maxAge;

	public SessionAssertions(String issuer, String audience, String secret, Duration maxAge) {
		if (secret.getBytes(StandardCharsets.UTF_8).length < 32) {
			throw new IllegalArgumentException("The assertion secret must be at least 32 bytes (HS256)");
		}
		this.issuer = issuer;
		this.audience = audience;
		this.secret = secret.getBytes(StandardCharsets.UTF_8);
		this.maxAge = maxAge;
	}

	/**
	 * Verifies an assertion for a user.
	 * @param token the compact JWT
	 * @param userId the user the request is for
	 * @param now now
	 * @throws InvalidAssertion saying what is wrong
	 */
	public void verify(String token, String userId, Instant now) {
		String[] parts = token.split("\\.", -1);
		if (parts.length != 3) {
			throw new InvalidAssertion("not a signed JWT");
		}
		Map<String, Object> header = json(parts[0], "header");
		if (!"HS256".equals(header.get("alg"))) {
			throw new InvalidAssertion("algorithm must be HS256, was " + header.get("alg"));
		}
		byte[] expected = sign(parts[0] + "." + parts[1]);
		byte[] given;
		try {
			given = Base64.getUrlDecoder().decode(parts[2]);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidAssertion("signature is not base64url");
		}
		if (!MessageDigest.isEqual(expected, given)) {
			throw new InvalidAssertion("signature does not match");
		}
		Map<String, Object> claims = json(parts[1], "claims");
		if (!this.issuer.equals(claims.get("iss"))) {
			throw new InvalidAssertion("issuer must be " + this.issuer);
		}
		Object aud = claims.get("aud");
		boolean forUs = this.audience.equals(aud)
				|| (aud instanceof java.util.List<?> list && list.contains(this.audience));
		if (!forUs) {
			throw new InvalidAssertion("audience must include " + this.audience);
		}
		if (!userId.equals(claims.get("sub"))) {
			throw new InvalidAssertion("subject is not the user of the request");
		}
		Instant issuedAt = instant(claims.get("iat"), "iat");
		Instant expiresAt = instant(claims.get("exp"), "exp");
		if (!now.isBefore(expiresAt.plus(CLOCK_SKEW))) {
			throw new InvalidAssertion("expired");
		}
		if (issuedAt.isAfter(now.plus(CLOCK_SKEW)) || issuedAt.isBefore(now.minus(this.maxAge))) {
			throw new InvalidAssertion("issued more than " + this.maxAge.toMinutes() + " minutes ago or in the future");
		}
	}

	/**
	 * Issues an assertion, as the account system does; for tests and the local system.
	 * @param userId the user
	 * @param issuedAt when
	 * @param validFor how long
	 * @return the compact JWT
	 */
	public String issue(String userId, Instant issuedAt, Duration validFor) {
		Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
		String header = encoder.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
		String claims = encoder.encodeToString(JSON.writeValueAsBytes(Map.of("iss", this.issuer, "aud", this.audience,
				"sub", userId, "iat", issuedAt.getEpochSecond(), "exp", issuedAt.plus(validFor).getEpochSecond())));
		return header + "." + claims + "." + encoder.encodeToString(sign(header + "." + claims));
	}

	private byte[] sign(String signingInput) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(this.secret, "HmacSHA256"));
			return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> json(String part, String what) {
		try {
			return JSON.readValue(Base64.getUrlDecoder().decode(part), Map.class);
		}
		catch (IllegalArgumentException | JacksonException ex) {
			throw new InvalidAssertion(what + " is not base64url JSON");
		}
	}

	private static Instant instant(Object value, String claim) {
		if (!(value instanceof Number number)) {
			throw new InvalidAssertion("claim " + claim + " is missing or not a number");
		}
		return Instant.ofEpochSecond(number.longValue());
	}

	/** An assertion that does not prove what it must. */
	public static class InvalidAssertion extends RuntimeException {

		InvalidAssertion(String reason) {
			super("Identity assertion refused: " + reason);
		}

	}

}
