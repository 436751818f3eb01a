package com.onemusic.privacy.launcher.system;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A partner as a partner would build one from the gateway's partner page, with none of
 * the gateway's code: it receives deletion webhooks over real HTTP, checks their Standard
 * Webhooks signature with the secret it was given (401 if wrong), answers 200, and then
 * confirms the deletion to the {@code callbackUrl} of the webhook, signed with its own
 * callback secret and a new message id. While {@link #down(boolean) down} it answers 503
 * with {@code Retry-After: 1}.
 */
public final class PartnerStub implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final String id;

	private final String webhookSecret;

	private final String callbackSecret;

	private final HttpServer server;

	private final ExecutorService callbacks = Executors.newSingleThreadExecutor();

	private final HttpClient http = HttpClient.newHttpClient();

	private final List<Webhook> webhooks = new CopyOnWriteArrayList<>();

	private final List<Callback> confirmations = new CopyOnWriteArrayList<>();

	private volatile boolean down;

	public PartnerStub(String id) throws IOException {
		this.id = id;
		this.webhookSecret = secret();
		this.callbackSecret = secret();
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/webhooks/deletion", this::handle);
		this.server.setExecutor(Executors.newFixedThreadPool(2));
		this.server.start();
	}

	public String id() {
		return this.id;
	}

	public String webhookUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/webhooks/deletion";
	}

	public String webhookSecret() {
		return this.webhookSecret;
	}

	public String callbackSecret() {
		return this.callbackSecret;
	}

	/**
	 * What an operator registers for this partner with {@code PUT /partners/{id}}.
	 * @param category the partner category
	 * @param purposes per purpose, the contract (fields, required scopes)
	 * @return the body
	 */
	public Map<String, Object> registration(String category, Map<String, Object> purposes) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("name", "Partner " + this.id);
		body.put("category", category);
		body.put("webhookUrl", webhookUrl());
		body.put("webhookSecret", this.webhookSecret);
		body.put("callbackSecrets", List.of(this.callbackSecret));
		body.put("purposes", purposes);
		return body;
	}

	/** Whether the partner answers 503 (down) or takes webhooks. */
	public void down(boolean down) {
		this.down = down;
	}

	/** Every webhook received, in order. */
	public List<Webhook> webhooks() {
		return new ArrayList<>(this.webhooks);
	}

	/** Every confirmation sent back, with the gateway's answer. */
	public List<Callback> confirmations() {
		return new ArrayList<>(this.confirmations);
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (InputStream in = exchange.getRequestBody()) {
			byte[] body = in.readAllBytes();
			String messageId = exchange.getRequestHeaders().getFirst("webhook-id");
			String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
			String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
			boolean valid = validSignature(messageId, timestamp, signature, body);
			int status = this.down ? 503 : valid ? 200 : 401;
			JsonNode data = valid ? JSON.readTree(body).path("data") : null;
			this.webhooks
				.add(new Webhook(messageId, valid, status, (data != null) ? data.path("requestId").asString() : null,
						(data != null) ? data.path("userReference").asString() : null,
						(data != null) ? data.path("kind").asString() : null,
						(data != null) ? JSON.convertValue(data.path("dataCategories"), List.class) : List.of(),
						Instant.now()));
			if (this.down) {
				exchange.getResponseHeaders().add("Retry-After", "1");
			}
			exchange.sendResponseHeaders(status, -1);
			if (status == 200) {
				String requestId = data.path("requestId").asString();
				String callbackUrl = data.path("callbackUrl").asString();
				this.callbacks.submit(() -> confirm(callbackUrl, requestId));
			}
		}
		finally {
			exchange.close();
		}
	}

	private void confirm(String callbackUrl, String requestId) {
		String messageId = "msg_" + UUID.randomUUID().toString().replace("-", "");
		String timestamp = Long.toString(Instant.now().getEpochSecond());
		String body = "{\"type\":\"personal_data.deletion_confirmed\",\"timestamp\":\"" + Instant.now()
				+ "\",\"data\":{\"requestId\":\"" + requestId + "\",\"status\":\"DONE\"}}";
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		int answer;
		try {
			HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(callbackUrl))
				.timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/json")
				.header("webhook-id", messageId)
				.header("webhook-timestamp", timestamp)
				.header("webhook-signature", "v1," + sign(this.callbackSecret, messageId, timestamp, bytes))
				.POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
				.build(), HttpResponse.BodyHandlers.ofString());
			answer = response.statusCode();
		}
		catch (IOException ex) {
			answer = -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		this.confirmations.add(new Callback(requestId, messageId, answer));
	}

	private boolean validSignature(String messageId, String timestamp, String header, byte[] body) {
		if (messageId == null || timestamp == null || header == null) {
			return false;
		}
		long sent;
		try {
			sent = Long.parseLong(timestamp);
		}
		catch (NumberFormatException ex) {
			return false;
		}
		if (Math.abs(Instant.now().getEpochSecond() - sent) > 300) {
			return false;
		}
		byte[] expected = ("v1," + sign(this.webhookSecret, messageId, timestamp, body))
			.getBytes(StandardCharsets.US_ASCII);
		for (String candidate : header.split(" ")) {
			if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII))) {
				return true;
			}
		}
		return false;
	}

	static String sign(String secret, String messageId, String timestamp, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
			mac.update((messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
			return Base64.getEncoder().encodeToString(mac.doFinal(body));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String secret() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return "whsec_" + Base64.getEncoder().encodeToString(bytes);
	}

	@Override
	public void close() throws InterruptedException {
		this.server.stop(0);
		this.callbacks.shutdown();
		this.callbacks.awaitTermination(10, TimeUnit.SECONDS);
	}

	/**
	 * A webhook as received.
	 *
	 * @param messageId its {@code webhook-id}
	 * @param validSignature whether it was signed with this partner's secret, in time
	 * @param answered the status answered
	 * @param requestId the deletion request
	 * @param userReference the user reference
	 * @param kind DELETION or ACCOUNT_CLOSURE
	 * @param dataCategories what the partner received of the user
	 * @param at when
	 */
	public record Webhook(String messageId, boolean validSignature, int answered, String requestId,
			String userReference, String kind, List<?> dataCategories, Instant at) {

	}

	/**
	 * A confirmation sent.
	 *
	 * @param requestId the request
	 * @param messageId its {@code webhook-id}
	 * @param answered the gateway's status, -1 when it could not be reached
	 */
	public record Callback(String requestId, String messageId, int answered) {

	}

}
