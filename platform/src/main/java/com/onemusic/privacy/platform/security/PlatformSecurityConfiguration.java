package com.onemusic.privacy.platform.security;

import java.nio.charset.StandardCharsets;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;

/**
 * Every service is an OAuth2 resource server: each call but the health probes (and what a
 * service declares public) needs a bearer JWT signed by a key of the configured JWKS,
 * unexpired, for this audience (and issuer, when set); each endpoint needs the scopes its
 * service's {@link EndpointRules} name; a path under {@code /users/{userId}/} is reached
 * only by that user's own token or one that acts for any user ({@link UserPathGuard}),
 * before its body is even read. Refusals are {@code application/problem+json}: 401
 * without a valid token, 403 without the scope. Stateless: no session, no cookie, no
 * CSRF.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(ServerHttpSecurity.class)
@EnableWebFluxSecurity
@EnableConfigurationProperties(SecurityProperties.class)
public class PlatformSecurityConfiguration {

	/**
	 * Whether Spring Security observes its filter chain, authentications and
	 * authorizations: only when {@code privacy.security.observations} asks for it.
	 * @param properties the settings
	 * @return the observation settings
	 */
	@Bean
	SecurityObservationSettings privacySecurityObservations(SecurityProperties properties) {
		return properties.observations() ? SecurityObservationSettings.withDefaults().build()
				: SecurityObservationSettings.noObservations();
	}

	@Bean
	SecurityWebFilterChain privacySecurityFilterChain(ServerHttpSecurity http, SecurityProperties properties,
			ObjectProvider<EndpointRules> rules, ObjectProvider<ReactiveJwtDecoder> decoder) {
		http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance());
		if (!properties.enabled()) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll()).build();
		}
		return http.authorizeExchange((exchanges) -> {
			exchanges.pathMatchers(properties.publicPaths().toArray(String[]::new)).permitAll();
			rules.orderedStream().forEach((rule) -> rule.apply(exchanges));
			exchanges.anyExchange().authenticated();
		})
			.oauth2ResourceServer((server) -> server.jwt((jwt) -> jwt.jwtDecoder(decoder.getObject()))
				.authenticationEntryPoint(PlatformSecurityConfiguration::unauthenticated)
				.accessDeniedHandler((exchange, denied) -> problem(exchange, HttpStatus.FORBIDDEN, "missing-scope",
						"This token lacks the scope this endpoint needs")))
			.exceptionHandling(
					(handling) -> handling.authenticationEntryPoint(PlatformSecurityConfiguration::unauthenticated)
						.accessDeniedHandler((exchange, denied) -> problem(exchange, HttpStatus.FORBIDDEN,
								"missing-scope", "This token lacks the scope this endpoint needs")))
			.addFilterAfter(new UserPathGuard(), SecurityWebFiltersOrder.AUTHORIZATION)
			.build();
	}

	/**
	 * Tokens are checked against the keys at {@code privacy.security.jwks-uri}:
	 * signature, expiry and not-before (with a minute of clock skew), audience, and
	 * issuer when set. A verified token is remembered for
	 * {@code privacy.security.verified-tokens.ttl} ({@link VerifiedTokenCache}).
	 */
	@Bean
	ReactiveJwtDecoder privacyJwtDecoder(SecurityProperties properties) {
		if (properties.jwksUri() == null || properties.jwksUri().isBlank()) {
			return (token) -> Mono
				.error(new IllegalStateException("privacy.security.jwks-uri is not set: no token can be checked"));
		}
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(properties.jwksUri()).build();
		OAuth2TokenValidator<Jwt> standard = (properties.issuer() != null && !properties.issuer().isBlank())
				? JwtValidators.createDefaultWithIssuer(properties.issuer()) : JwtValidators.createDefault();
		OAuth2TokenValidator<Jwt> audience = new JwtClaimValidator<List<String>>("aud",
				(values) -> values != null && values.contains(properties.audience()));
		OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(standard, audience);
		decoder.setJwtValidator(validator);
		SecurityProperties.VerifiedTokens remembered = properties.verifiedTokens();
		if (remembered.ttl().isZero() || remembered.size() <= 0) {
			return decoder;
		}
		return new VerifiedTokenCache(decoder, validator, remembered.ttl(), remembered.size());
	}

	private static Mono<Void> unauthenticated(ServerWebExchange exchange, AuthenticationException failure) {
		exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		boolean tokenGiven = exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
		return problem(exchange, HttpStatus.UNAUTHORIZED, tokenGiven ? "invalid-token" : "missing-token",
				tokenGiven ? "The bearer token is not valid: " + failure.getMessage() : "A bearer token is required");
	}

	static Mono<Void> problem(ServerWebExchange exchange, HttpStatus status, String type, String detail) {
		exchange.getResponse().setStatusCode(status);
		exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		String body = "{\"type\":\"https://privacy.onemusic.example/problems/" + type + "\",\"title\":\""
				+ ((status == HttpStatus.UNAUTHORIZED) ? "Unauthenticated" : "Forbidden") + "\",\"status\":"
				+ status.value() + ",\"detail\":\"" + json(detail) + "\",\"instance\":\""
				+ json(exchange.getRequest().getPath().value()) + "\"}";
		DataBuffer buffer = exchange.getResponse().bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
		return exchange.getResponse().writeWith(Mono.just(buffer));
	}

	private static String json(String text) {
		StringBuilder escaped = new StringBuilder();
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> escaped.append("\\\"");
				case '\\' -> escaped.append("\\\\");
				default -> {
					if (c < 0x20) {
						escaped.append(String.format("\\u%04x", (int) c));
					}
					else {
						escaped.append(c);
					}
				}
			}
		}
		return escaped.toString();
	}

}
