package com.onemusic.privacy.platform.security;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call a service ({@code privacy.security.*}): bearer JWTs of an OAuth2
 * authorization server, checked against its public keys.
 *
 * @param enabled whether calls need a token (a {@code prod} profile refuses to start
 * without)
 * @param jwksUri where the authorization server publishes its public keys (JWKS)
 * @param issuer the {@code iss} every token must name, or empty for any
 * @param audience the {@code aud} every token must name
 * @param publicPaths paths anyone may call (health probes; a service adds its own, e.g.
 * partner callbacks that are authenticated by signature)
 * @param verifiedTokens how verified tokens are remembered between calls
 * @param observations whether Spring Security observes its filter chain, each
 * authentication and each authorization (metrics {@code spring.security.*} and a trace
 * span for each filter of every request); off by default, since every request is observed
 * as {@code http.server.requests} with its status (401 and 403 too), and the chain's
 * observations cost every request CPU time for spans that name its filters
 */
@Validated
@ConfigurationProperties("privacy.security")
public record SecurityProperties(@DefaultValue("true") boolean enabled, String jwksUri, String issuer,
		@DefaultValue("onemusic-privacy") @NotBlank String audience, @DefaultValue( {
				"/actuator/health", "/actuator/health/**" }) @NotNull List<String> publicPaths,
		@DefaultValue @NotNull VerifiedTokens verifiedTokens, @DefaultValue("false") boolean observations){

	/**
	 * A token whose signature was verified is remembered for a while, so that a caller
	 * sending it again is not signature-checked on every call; expiry, audience and
	 * issuer are still checked on each use.
	 *
	 * @param ttl how long a verified token is remembered; 0 checks every call's
	 * signature. A key withdrawn from the JWKS admits the tokens it signed for up to this
	 * long.
	 * @param size how many tokens are remembered at most
	 */
	public record VerifiedTokens(@DefaultValue("PT1M") @NotNull Duration ttl, @DefaultValue("10000") long size) {

	}

}
