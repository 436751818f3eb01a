package com.onemusic.privacy.consent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller that keeps one HTTP/1.1 connection alive across many requests gets an answer
 * to each. Without the platform's {@code KeepAliveReadGuard}
 * ({@code privacy.http.keep-alive-read-guard=false}) this scenario left 7 to 21 of 600
 * requests unanswered; the guard is on by default in every service.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + ConsentServiceApplication.NAME)
class KeptAliveConnectionTests {

	private static final int REQUESTS = 600;

	@LocalServerPort
	private int port;

	@Test
	void answersEveryRequestOnAKeptAliveConnection() throws Exception {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		String token = TestTokens.bearer(TestTokens.user("kept-alive-user"));
		List<Integer> unanswered = new ArrayList<>();
		for (int i = 0; i < REQUESTS; i++) {
			HttpRequest request = HttpRequest
				.newBuilder(URI.create("http://localhost:" + this.port + "/users/kept-alive-user/consents"))
				.timeout(Duration.ofSeconds(3))
				.header("Authorization", token)
				.GET()
				.build();
			try {
				assertThat(client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
			}
			catch (HttpTimeoutException ex) {
				unanswered.add(i);
			}
		}
		assertThat(unanswered).as("requests without an answer").isEmpty();
	}

}
