package com.onemusic.privacy.launcher.system;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The system's public HTTP APIs as a caller sees them: JSON over real HTTP with a bearer
 * token from the token issuer.
 */
public final class SystemApi {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String issuer;

	private final Map<String, String> tokens = new ConcurrentHashMap<>();

	public SystemApi(String issuer) {
		this.issuer = issuer;
	}

	/**
	 * A token of the development issuer, asked for over HTTP as the README shows, once
	 * per kind and subject (tokens live an hour, longer than any run).
	 * @param kind user, service or operator
	 * @param subject the user id or a name
	 * @return the token
	 */
	public String token(String kind, String subject) {
		return this.tokens.computeIfAbsent(kind + "/" + subject, (key) -> {
			Answer answer = send("POST", this.issuer + "/token?kind=" + kind + "&subject="
					+ URLEncoder.encode(subject, StandardCharsets.UTF_8), null, null);
			if (answer.status() != 200) {
				throw new IllegalStateException("No token: " + answer);
			}
			return answer.json().path("access_token").asString();
		});
	}

	public Answer get(String url, String token, String... headers) {
		return send("GET", url, token, null, headers);
	}

	public Answer post(String url, String token, Object body, String... headers) {
		return send("POST", url, token, body, headers);
	}

	public Answer put(String url, String token, Object body, String... headers) {
		return send("PUT", url, token, body, headers);
	}

	/**
	 * One call.
	 * @param method the method
	 * @param url the URL
	 * @param token the bearer token, or null
	 * @param body a body to send as JSON, or null
	 * @param headers more headers, name and value in turn
	 * @return the answer
	 */
	public Answer send(String method, String url, String token, Object body, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		if (body != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Answer(method + " " + url, response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(method + " " + url + " failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(method + " " + url + " interrupted", ex);
		}
	}

	/**
	 * An answer.
	 *
	 * @param call what was called
	 * @param status the status
	 * @param body the body as received
	 */
	public record Answer(String call, int status, String body) {

		public JsonNode json() {
			return (this.body == null || this.body.isEmpty()) ? JSON.missingNode() : JSON.readTree(this.body);
		}

		@Override
		public String toString() {
			return this.call + " -> " + this.status + " " + this.body;
		}

	}

}
