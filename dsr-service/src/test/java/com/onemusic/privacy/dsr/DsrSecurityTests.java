package com.onemusic.privacy.dsr;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.dsr.verification.SessionAssertions;
import com.onemusic.privacy.testsupport.ServiceChecks;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TestTokens;

/**
 * An end user's token submits, reads, verifies and downloads only that user's requests;
 * another user's are refused (403) and nothing is written for them. Operator actions need
 * the operator's scope.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + DsrServiceApplication.NAME)
@Import(DsrTestConfiguration.class)
class DsrSecurityTests {

	@Autowired
	private WebTestClient web;

	@Autowired
	private SessionAssertions assertions;

	@Test
	void aUserReachesOnlyTheirOwnRequests() {
		String alice = "u-" + UUID.randomUUID();
		String bob = "u-" + UUID.randomUUID();
		WebTestClient asAlice = TestTokens.as(this.web, TestTokens.user(alice));
		ServiceChecks.assertProblem(asAlice.post().uri("/requests").bodyValue(closure(bob)).exchange(),
				HttpStatus.FORBIDDEN, "not-your-data");
		this.web.get()
			.uri("/requests?userId={user}", bob)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items.length()")
			.isEqualTo(0);

		asAlice.post().uri("/requests").bodyValue(closure(alice)).exchange().expectStatus().isCreated();
		String bobRequest = submitted(this.web, closure(bob));
		for (String path : new String[] { "/requests/" + bobRequest, "/requests/" + bobRequest + "/export",
				"/requests?userId=" + bob, "/requests" }) {
			ServiceChecks.assertProblem(asAlice.get().uri(path).exchange(), HttpStatus.FORBIDDEN, "not-your-data");
		}
		ServiceChecks.assertProblem(asAlice.post()
			.uri("/requests/{id}/verification", bobRequest)
			.bodyValue(Map.of("code", "123456"))
			.exchange(), HttpStatus.FORBIDDEN, "not-your-data");
		asAlice.get()
			.uri("/requests?userId={user}", alice)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items.length()")
			.isEqualTo(1);
		ServiceChecks.assertProblem(asAlice.post()
			.uri("/requests/{id}/extension", bobRequest)
			.bodyValue(Map.of("workingDays", 5, "reason", "complex", "operator", "alice"))
			.exchange(), HttpStatus.FORBIDDEN, "missing-scope");
	}

	@Test
	void anOperatorShownAUsersDataIsAuditedWithWhoWhatWhenAndWhy() {
		String carol = "u-" + UUID.randomUUID();
		WebTestClient asCarol = TestTokens.as(this.web, TestTokens.user(carol));
		String id = submitted(asCarol, closure(carol));
		asCarol.get().uri("/requests/{id}", id).exchange().expectStatus().isOk();
		this.web.get().uri("/audit?userId={user}", carol).exchange().expectBody().jsonPath("$.length()").isEqualTo(0);

		this.web.get()
			.uri("/requests/{id}", id)
			.header("X-Access-Reason", "ticket CS-1234: user asked by phone")
			.exchange()
			.expectStatus()
			.isOk();
		this.web.get()
			.uri("/audit?userId={user}", carol)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.length()")
			.isEqualTo(1)
			.jsonPath("$[0].actor")
			.isEqualTo("test-operator")
			.jsonPath("$[0].action")
			.isEqualTo("VIEW_REQUEST")
			.jsonPath("$[0].resourceId")
			.isEqualTo(id)
			.jsonPath("$[0].reason")
			.isEqualTo("ticket CS-1234: user asked by phone")
			.jsonPath("$[0].at")
			.exists();
		ServiceChecks.assertProblem(asCarol.get().uri("/audit?userId={user}", carol).exchange(), HttpStatus.FORBIDDEN,
				"missing-scope");
	}

	@Test
	void injectionAndOversizeBodiesAreRefusedAndNothingIsWritten() {
		String user = "u-" + UUID.randomUUID();
		ServiceChecks.assertProblem(this.web.post()
			.uri("/requests")
			.contentType(org.springframework.http.MediaType.APPLICATION_JSON)
			.bodyValue("{\"userId\":{\"$gt\":\"\"},\"type\":\"ACCESS\",\"channel\":\"APP\"}")
			.exchange(), HttpStatus.BAD_REQUEST, "unreadable-request");
		Map<String, Object> huge = closure(user);
		huge.put("details", "x".repeat(100_000));
		ServiceChecks.assertProblem(this.web.post().uri("/requests").bodyValue(huge).exchange(),
				HttpStatus.CONTENT_TOO_LARGE, "body-too-large");
		this.web.get()
			.uri("/requests?userId={user}", user)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items.length()")
			.isEqualTo(0);
	}

	/** Submits a request and answers its id. */
	private static String submitted(WebTestClient client, Map<String, Object> request) {
		return (String) client.post()
			.uri("/requests")
			.bodyValue(request)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody()
			.get("id");
	}

	private Map<String, Object> closure(String user) {
		Map<String, Object> body = new HashMap<>();
		body.put("userId", user);
		body.put("type", "ACCOUNT_CLOSURE");
		body.put("channel", "APP");
		body.put("identityAssertion", this.assertions.issue(user, Instant.now(), Duration.ofMinutes(5)));
		return body;
	}

}
