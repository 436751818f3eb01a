package com.onemusic.privacy.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Plain HTTP calls to a registry, for tests that check the API as any client sees it. */
final class RegistryHttp {

	static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient client = HttpClient.newHttpClient();

	private final String baseUrl;

	RegistryHttp(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	Answer get(String path) {
		return send("GET", path, null);
	}

	Answer post(String path, String body) {
		return send("POST", path, body);
	}

	Answer put(String path, String body) {
		return send("PUT", path, body);
	}

	Answer delete(String path) {
		return send("DELETE", path, null);
	}

	Answer register(String subject, String schema) {
		return post("/subjects/" + subject + "/versions", schemaBody(schema));
	}

	static String schemaBody(String schema) {
		return JSON.createObjectNode().put("schema", schema).toString();
	}

	Answer send(String method, String path, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path));
		if (body != null) {
			request.header("Content-Type", CONTENT_TYPE)
				.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		try {
			HttpResponse<String> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
					response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	record Answer(int status, String contentType, String body) {

		JsonNode json() {
			try {
				return JSON.readTree(this.body);
			}
			catch (IOException ex) {
				throw new IllegalStateException("Not JSON: " + this.body, ex);
			}
		}

		int errorCode() {
			return json().path("error_code").asInt();
		}

		int id() {
			return json().path("id").asInt();
		}

	}

}
