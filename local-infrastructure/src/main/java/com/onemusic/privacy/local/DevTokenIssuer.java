package com.onemusic.privacy.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A development token issuer: an RSA key generated at start (never stored), its public
 * key as a JWKS, and tokens for a user, an operator or a service on request. For the
 * local system and tests only; a {@code prod} profile refuses to trust it.
 *
 * <pre>
 * GET  /jwks                                     the public key set
 * POST /token?kind=user&amp;subject=u-1               a user's token (the user's own data)
 * POST /token?kind=operator&amp;subject=alice         an operator's token
 * POST /token?kind=service&amp;subject=app-backend    a service's token (client credentials)
 *      &amp;scope=a+b   other scopes than the kind's; &amp;ttl=600   seconds (default 3600)
 * </pre>
 */
public final class DevTokenIssuer implements AutoCloseable {

	/** The audience every token names, and services expect. */
	public static final String AUDIENCE = "onemusic-privacy";

	/** What an end user may do, for the user's own data only. */
	public static final List<String> USER_SCOPES = List.of("consent:read", "consent:write", "dsr:submit", "share:read");

	/** What a backend service may do, for any user. */
	public static final List<String> SERVICE_SCOPES = List.of("consent:read", "consent:write", "dsr:submit",
			"share:request", "share:read", "stats:read", "masking:use", "users:any");

	/** What an operator may do. */
	public static final List<String> OPERATOR_SCOPES = List.of("consent:read", "consent:admin", "dsr:operate",
			"share:read", "partner:admin", "stats:read", "legal:disclose", "audit:read", "users:any");

	private final HttpServer server;

	private final RSAKey key;

	private final String issuer;

	private DevTokenIssuer(HttpServer server, RSAKey key) {
		this.server = server;
		this.key = key;
		this.issuer = "http://127.0.0.1:" + server.getAddress().getPort();
	}

	/**
	 * Starts an issuer with a new key.
	 * @param port the port, 0 for any
	 * @return the running issuer
	 * @throws IOException if the port cannot be bound
	 */
	public static DevTokenIssuer start(int port) throws IOException {
		RSAKey key = newKey();
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
		DevTokenIssuer issuer = new DevTokenIssuer(server, key);
		server.createContext("/jwks", issuer::jwks);
		server.createContext("/token", issuer::token);
		server.setExecutor(Executors.newFixedThreadPool(2, (runnable) -> {
			Thread thread = new Thread(runnable, "dev-token-issuer");
			thread.setDaemon(true);
			return thread;
		}));
		server.start();
		return issuer;
	}

	static RSAKey newKey() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			KeyPair pair = generator.generateKeyPair();
			return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
				.keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.RS256)
				.keyID(UUID.randomUUID().toString())
				.build();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("RSA is not available", ex);
		}
	}

	/** The issuer ({@code iss}) of its tokens: its own base URL. */
	public String issuer() {
		return this.issuer;
	}

	/** Where services read the public keys. */
	public String jwksUri() {
		return this.issuer + "/jwks";
	}

	/**
	 * A signed token.
	 * @param subject the user id, operator or service name
	 * @param scopes the scopes
	 * @param ttl how long it is valid; negative for one that has already expired
	 * @return the compact JWT
	 */
	public String token(String subject, Collection<String> scopes, Duration ttl) {
		return sign(this.key, this.issuer, subject, scopes, ttl);
	}

	/**
	 * A token signed with a key nobody trusts, otherwise like {@link #token}.
	 * @param subject the subject
	 * @param scopes the scopes
	 * @return the compact JWT
	 */
	public String tokenSignedByAnotherKey(String subject, Collection<String> scopes) {
		return sign(newKey(), this.issuer, subject, scopes, Duration.ofHours(1));
	}

	private static String sign(RSAKey key, String issuer, String subject, Collection<String> scopes, Duration ttl) {
		Instant now = Instant.now();
		Instant issuedAt = ttl.isNegative() ? now.plus(ttl).minusSeconds(60) : now;
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer)
			.subject(subject)
			.audience(AUDIENCE)
			.issueTime(Date.from(issuedAt))
			.notBeforeTime(Date.from(issuedAt))
			.expirationTime(Date.from(now.plus(ttl)))
			.jwtID(UUID.randomUUID().toString())
			.claim("scope", String.join(" ", scopes))
			.build();
		SignedJWT jwt = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
				claims);
		try {
			jwt.sign(new RSASSASigner(key));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not sign a token", ex);
		}
		return jwt.serialize();
	}

	private void jwks(HttpExchange exchange) throws IOException {
		respond(exchange, 200, new JWKSet(this.key.toPublicJWK()).toString(true));
	}

	private void token(HttpExchange exchange) throws IOException {
		try (InputStream ignored = exchange.getRequestBody()) {
			if (!"POST".equals(exchange.getRequestMethod())) {
				respond(exchange, 405, "{\"error\":\"use POST\"}");
				return;
			}
			Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
			String kind = query.getOrDefault("kind", "user");
			String subject = query.get("subject");
			List<String> defaults = switch (kind) {
				case "user" -> USER_SCOPES;
				case "service" -> SERVICE_SCOPES;
				case "operator" -> OPERATOR_SCOPES;
				default -> null;
			};
			if (defaults == null || subject == null || subject.isBlank()) {
				respond(exchange, 400,
						"{\"error\":\"kind must be user, service or operator, and subject is required\"}");
				return;
			}
			List<String> scopes = query.containsKey("scope") ? List.of(query.get("scope").trim().split(" +"))
					: defaults;
			long ttl = Long.parseLong(query.getOrDefault("ttl", "3600"));
			String token = token(subject, scopes, Duration.ofSeconds(ttl));
			respond(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" + ttl
					+ ",\"scope\":\"" + String.join(" ", scopes) + "\"}");
		}
		catch (NumberFormatException ex) {
			respond(exchange, 400, "{\"error\":\"ttl must be a number of seconds\"}");
		}
	}

	private static Map<String, String> query(String raw) {
		Map<String, String> values = new LinkedHashMap<>();
		if (raw != null) {
			for (String pair : raw.split("&")) {
				int equals = pair.indexOf('=');
				if (equals > 0) {
					values.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
							URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
				}
			}
		}
		return values;
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
