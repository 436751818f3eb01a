package com.onemusic.privacy.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.onemusic.privacy.consent.ConsentServiceApplication;
import com.onemusic.privacy.launcher.LocalSystem.LocalSystemSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The local launcher starts the infrastructure and all four services, each ready, and a
 * restart on the same folder keeps what the broker stored (schema ids among it).
 */
class LocalSystemTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void startsEverythingReadyAndARestartKeepsTheRegistryIds(@TempDir Path dataDir) throws Exception {
		LocalSystemSettings settings = LocalSystemSettings.onFreePorts(dataDir);
		String subjectsBefore;
		try (LocalSystem system = LocalSystem.start(settings)) {
			for (String name : settings.servicePorts().keySet()) {
				HttpResponse<String> readiness = get(system.url(name) + "/actuator/health/readiness");
				assertThat(readiness.statusCode()).as(name + ": " + readiness.body()).isEqualTo(200);
				assertThat(readiness.body()).contains("\"status\":\"UP\"");
			}
			assertThat(system.describe(java.time.Duration.ofSeconds(1))).contains("consent-service", "dsr-service",
					"anonymizer-service", "sharing-gateway", "schema-registry");
			// The documented way to a token: the development issuer, over HTTP.
			String issuer = system.infrastructure().tokenIssuer().issuer();
			HttpResponse<String> issued = this.http
				.send(HttpRequest.newBuilder(URI.create(issuer + "/token?kind=user&subject=u-1"))
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
			String token = issued.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
			String consents = system.url(ConsentServiceApplication.NAME) + "/users/u-1/consents";
			assertThat(get(consents).statusCode()).as("no token").isEqualTo(401);
			HttpResponse<String> own = this.http.send(HttpRequest.newBuilder(URI.create(consents))
				.header("Authorization", "Bearer " + token)
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
			String registry = system.infrastructure().registryUrl();
			post(registry + "/subjects/restart-check-value/versions",
					"{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Kept\\\",\\\"fields\\\":[]}\"}");
			subjectsBefore = get(registry + "/subjects/restart-check-value/versions/1").body();
		}
		assertThat(Files.exists(dataDir.resolve("kafka").resolve("meta.properties"))).isTrue();
		try (LocalSystem again = LocalSystem.start(settings)) {
			String registry = again.infrastructure().registryUrl();
			assertThat(get(registry + "/subjects/restart-check-value/versions/1").body()).isEqualTo(subjectsBefore);
		}
	}

	@Test
	void aMalformedPortIsRefusedWithItsName() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LocalSystemSettings.fromEnvironment(Map.of("SCHEMA_REGISTRY_PORT", "eighty")))
			.withMessageContaining("SCHEMA_REGISTRY_PORT");
		LocalSystemSettings defaults = LocalSystemSettings.fromEnvironment(Map.of());
		assertThat(defaults.registryPort()).isEqualTo(8081);
		assertThat(defaults.servicePorts()).containsEntry("consent-service", 8101)
			.containsEntry("sharing-gateway", 8104);
	}

	private HttpResponse<String> get(String url) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private void post(String url, String body) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/vnd.schemaregistry.v1+json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

}
