package com.onemusic.privacy.testsupport;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.WebTestClientBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.local.DevTokenIssuer;

/**
 * Bearer tokens of the test JVM's token issuer, which every service under test trusts.
 * The {@code WebTestClient} of a {@link ServiceIntegrationTest} sends {@link #all()} by
 * default, so that a test of a capability need not care about tokens; security tests ask
 * for the token they mean, or none.
 */
public final class TestTokens {

	private TestTokens() {
	}

	private static DevTokenIssuer issuer() {
		return TestInfrastructure.get().tokenIssuer();
	}

	/**
	 * A token with every scope of a service and an operator.
	 * @return the token
	 */
	public static String all() {
		Set<String> scopes = new LinkedHashSet<>(DevTokenIssuer.SERVICE_SCOPES);
		scopes.addAll(DevTokenIssuer.OPERATOR_SCOPES);
		return issuer().token("test-operator", scopes, Duration.ofHours(2));
	}

	/**
	 * An end user's token, for the user's own data.
	 * @param userId the user
	 * @return the token
	 */
	public static String user(String userId) {
		return issuer().token(userId, DevTokenIssuer.USER_SCOPES, Duration.ofHours(1));
	}

	/**
	 * A token with exactly these scopes.
	 * @param subject the subject
	 * @param scopes the scopes
	 * @return the token
	 */
	public static String withScopes(String subject, String... scopes) {
		return issuer().token(subject, List.of(scopes), Duration.ofHours(1));
	}

	/**
	 * A token that expired a minute ago.
	 * @return the token
	 */
	public static String expired() {
		return issuer().token("test-operator", DevTokenIssuer.OPERATOR_SCOPES, Duration.ofMinutes(-1));
	}

	/**
	 * A token signed with a key the services do not trust.
	 * @return the token
	 */
	public static String signedByAnotherKey() {
		return issuer().tokenSignedByAnotherKey("test-operator", DevTokenIssuer.OPERATOR_SCOPES);
	}

	/**
	 * The same client, sending another token.
	 * @param web the client
	 * @param token the token
	 * @return a client with {@code Authorization: Bearer <token>}
	 */
	public static WebTestClient as(WebTestClient web, String token) {
		return web.mutate().defaultHeaders((headers) -> headers.set(HttpHeaders.AUTHORIZATION, bearer(token))).build();
	}

	/**
	 * The value of an {@code Authorization} header.
	 * @param token the token
	 * @return {@code Bearer <token>}
	 */
	public static String bearer(String token) {
		return "Bearer " + token;
	}

	/**
	 * Makes {@link #all()} the default token of the test's {@code WebTestClient}, with a
	 * default {@code X-Access-Reason} (an operator must give one to see a user's data).
	 */
	@TestConfiguration(proxyBeanMethods = false)
	public static class DefaultToken {

		@Bean
		WebTestClientBuilderCustomizer defaultBearerToken() {
			return (builder) -> builder.defaultHeader(HttpHeaders.AUTHORIZATION, bearer(all()))
				.defaultHeader("X-Access-Reason", "integration test");
		}

	}

}
