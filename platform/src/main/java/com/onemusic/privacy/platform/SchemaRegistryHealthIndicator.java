package com.onemusic.privacy.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The schema registry is up when one of its URLs answers {@code GET /config}, which
 * Confluent's registry, Apicurio's ccompat API, Karapace and ours all serve.
 */
class SchemaRegistryHealthIndicator extends AbstractHealthIndicator {

	private final String[] urls;

	private final Duration timeout;

	private final HttpClient http;

	SchemaRegistryHealthIndicator(String registryUrls, Duration timeout) {
		super("Schema registry health check failed");
		this.urls = registryUrls.split(",");
		this.timeout = timeout;
		this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		Exception last = null;
		for (String url : this.urls) {
			String base = url.trim().replaceAll("/+$", "");
			try {
				HttpResponse<String> response = this.http.send(
						HttpRequest.newBuilder(URI.create(base + "/config")).timeout(this.timeout).GET().build(),
						HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					builder.up().withDetail("url", base);
					return;
				}
				builder.down().withDetail("url", base).withDetail("status", response.statusCode());
				return;
			}
			catch (Exception ex) {
				last = ex;
			}
		}
		throw (last != null) ? last : new IllegalStateException("No schema registry URL configured");
	}

}
