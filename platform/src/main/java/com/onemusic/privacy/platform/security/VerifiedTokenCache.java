package com.onemusic.privacy.platform.security;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * Remembers tokens whose signature was verified, so that a caller that sends the same
 * token again and again (a backend service with its client-credentials token, an app
 * session) is not parsed and signature-checked on every call.
 *
 * <p>
 * Only a token the decoder accepted is remembered, under its exact text (signature
 * included), for at most {@code ttl}. Each use of a remembered token runs the validators
 * again (expiry and not-before against the clock, audience, issuer), so an expired token
 * is refused exactly as if it had never been seen; a refused token is handed to the
 * decoder, whose error is the answer. What is not covered: a key withdrawn from the JWKS
 * still admits the tokens it signed for up to {@code ttl} after they were last verified.
 */
final class VerifiedTokenCache implements ReactiveJwtDecoder {

	private final ReactiveJwtDecoder decoder;

	private final OAuth2TokenValidator<Jwt> validator;

	private final Cache<String, Jwt> verified;

	/**
	 * Remembers what a decoder verified.
	 * @param decoder checks signature and validators
	 * @param validator the decoder's validators, run again on each use of a remembered
	 * token
	 * @param ttl how long a verified token is remembered
	 * @param size how many tokens are remembered at most
	 */
	VerifiedTokenCache(ReactiveJwtDecoder decoder, OAuth2TokenValidator<Jwt> validator, Duration ttl, long size) {
		this.decoder = decoder;
		this.validator = validator;
		this.verified = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(size).build();
	}

	@Override
	public Mono<Jwt> decode(String token) {
		Jwt known = this.verified.getIfPresent(token);
		if (known != null) {
			if (!this.validator.validate(known).hasErrors()) {
				return Mono.just(known);
			}
			this.verified.invalidate(token);
		}
		return this.decoder.decode(token).doOnNext((jwt) -> this.verified.put(token, jwt));
	}

	long size() {
		this.verified.cleanUp();
		return this.verified.estimatedSize();
	}

}
