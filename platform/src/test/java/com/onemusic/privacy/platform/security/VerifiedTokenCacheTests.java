package com.onemusic.privacy.platform.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import com.onemusic.privacy.local.DevTokenIssuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Remembered tokens, against a real token issuer's JWKS over HTTP: a token is verified
 * once, each later use still checks expiry, and a token that failed is never remembered.
 */
class VerifiedTokenCacheTests {

	private static DevTokenIssuer issuer;

	/** How far the validators' clock is ahead of the real one. */
	private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);

	private final AtomicInteger verifications = new AtomicInteger();

	@BeforeAll
	static void startIssuer() throws Exception {
		issuer = DevTokenIssuer.start(0);
	}

	@AfterAll
	static void stopIssuer() {
		issuer.close();
	}

	@Test
	void aTokenIsVerifiedOnceAndAnsweredFromMemoryAfterwards() {
		VerifiedTokenCache tokens = verifiedTokens();
		String token = issuer.token("svc-app-backend", List.of("consent:write"), Duration.ofMinutes(10));
		Jwt first = tokens.decode(token).block();
		Jwt second = tokens.decode(token).block();
		assertThat(second.getSubject()).isEqualTo("svc-app-backend");
		assertThat(second.getClaimAsString("scope")).isEqualTo("consent:write");
		assertThat(second).isSameAs(first);
		assertThat(this.verifications).hasValue(1);
		// Another token is verified on its own.
		tokens.decode(issuer.token("svc-app-backend", List.of("consent:write"), Duration.ofMinutes(10))).block();
		assertThat(this.verifications).hasValue(2);
		assertThat(tokens.size()).isEqualTo(2);
	}

	@Test
	void aRememberedTokenThatExpiredIsRefusedAsTheDecoderRefusesIt() {
		VerifiedTokenCache tokens = verifiedTokens();
		String token = issuer.token("u-1", List.of("consent:read"), Duration.ofMinutes(5));
		tokens.decode(token).block();
		this.ahead.set(Duration.ofMinutes(6));
		assertThatThrownBy(() -> tokens.decode(token).block()).isInstanceOf(JwtValidationException.class)
			.hasMessageContaining("expired");
		assertThat(this.verifications).as("the refusal is the decoder's own").hasValue(2);
		assertThat(tokens.size()).isZero();
	}

	@Test
	void aRefusedTokenIsNeverRemembered() {
		VerifiedTokenCache tokens = verifiedTokens();
		String forged = issuer.tokenSignedByAnotherKey("u-1", List.of("consent:read"));
		for (int i = 0; i < 2; i++) {
			assertThatThrownBy(() -> tokens.decode(forged).block()).isInstanceOf(Exception.class);
		}
		assertThat(this.verifications).hasValue(2);
		assertThat(tokens.size()).isZero();
	}

	@Test
	void theServicesDecoderRemembersUnlessSwitchedOff() {
		PlatformSecurityConfiguration configuration = new PlatformSecurityConfiguration();
		assertThat(configuration.privacyJwtDecoder(properties(Duration.ofMinutes(1))))
			.isInstanceOf(VerifiedTokenCache.class);
		assertThat(configuration.privacyJwtDecoder(properties(Duration.ZERO)))
			.isInstanceOf(NimbusReactiveJwtDecoder.class);
	}

	private static SecurityProperties properties(Duration ttl) {
		return new SecurityProperties(true, issuer.jwksUri(), issuer.issuer(), DevTokenIssuer.AUDIENCE,
				List.of("/actuator/health"), new SecurityProperties.VerifiedTokens(ttl, 100), false);
	}

	/**
	 * The service's validators, on a clock the test can move ahead; every verification
	 * the remembered tokens ask for is counted.
	 */
	private VerifiedTokenCache verifiedTokens() {
		JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ZERO);
		timestamps.setClock(new Clock() {

			@Override
			public Instant instant() {
				return Instant.now().plus(VerifiedTokenCacheTests.this.ahead.get());
			}

			@Override
			public ZoneOffset getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(java.time.ZoneId zone) {
				return this;
			}

		});
		OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(timestamps,
				new JwtClaimValidator<List<String>>("aud",
						(values) -> values != null && values.contains(DevTokenIssuer.AUDIENCE)));
		NimbusReactiveJwtDecoder nimbus = NimbusReactiveJwtDecoder.withJwkSetUri(issuer.jwksUri()).build();
		nimbus.setJwtValidator(validator);
		ReactiveJwtDecoder counted = (token) -> Mono.defer(() -> {
			this.verifications.incrementAndGet();
			return nimbus.decode(token);
		});
		return new VerifiedTokenCache(counted, validator, Duration.ofMinutes(1), 100);
	}

}
