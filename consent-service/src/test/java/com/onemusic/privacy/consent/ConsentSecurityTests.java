package com.onemusic.privacy.consent;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.testsupport.ServiceChecks;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An end user's token reaches only that user's consents, history, ledger and receipts;
 * another user's are refused (403), and nothing is written for them. Publishing a policy
 * needs an operator's scope.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + ConsentServiceApplication.NAME)
class ConsentSecurityTests {

	@Autowired
	private WebTestClient web;

	@Test
	void anOversizeBodyAndOperatorInjectionAreRefusedAndNothingIsWritten() {
		String user = ConsentApiTests.user();
		Map<String, Object> huge = ConsentApiTests.body("EXPLICIT_TICK",
				ConsentApiTests.change("purpose.marketing-push", "GRANTED"));
		huge.put("sourceSystem", "x".repeat(200_000));
		ServiceChecks.assertProblem(this.web.put().uri("/users/{user}/consents", user).bodyValue(huge).exchange(),
				HttpStatus.CONTENT_TOO_LARGE, "body-too-large");
		ServiceChecks.assertProblem(this.web.put()
			.uri("/users/{user}/consents", user)
			.contentType(org.springframework.http.MediaType.APPLICATION_JSON)
			.bodyValue("{\"policyVersion\":\"2026.01\",\"method\":\"EXPLICIT_TICK\",\"sourceSystem\":\"app\","
					+ "\"changes\":[{\"scope\":{\"$gt\":\"\"},\"status\":\"GRANTED\"}]}")
			.exchange(), HttpStatus.BAD_REQUEST, "unreadable-request");
		ServiceChecks.assertProblem(this.web.get().uri("/users/{user}/consents/history", "{\"$gt\":\"\"}").exchange(),
				HttpStatus.BAD_REQUEST, "invalid-user-id");
		this.web.get().uri("/users/{user}/consents/history", user).exchange().expectBody().json("[]");
	}

	@Test
	void aUserReachesOnlyTheirOwnConsents() {
		String alice = ConsentApiTests.user();
		String bob = ConsentApiTests.user();
		WebTestClient asAlice = TestTokens.as(this.web, TestTokens.user(alice));
		Map<String, Object> grant = ConsentApiTests.body("EXPLICIT_TICK",
				ConsentApiTests.change("purpose.marketing-push", "GRANTED"));
		String aliceReceipt = receipt(asAlice, alice, grant);
		ServiceChecks.assertProblem(asAlice.put().uri("/users/{user}/consents", bob).bodyValue(grant).exchange(),
				HttpStatus.FORBIDDEN, "not-your-data");
		this.web.get().uri("/users/{user}/consents/history", bob).exchange().expectBody().json("[]");

		String bobReceipt = receipt(this.web, bob, grant);
		for (String path : new String[] { "/users/" + bob + "/consents", "/users/" + bob + "/consents/history",
				"/users/" + bob + "/ledger/verification", "/receipts/" + bobReceipt }) {
			ServiceChecks.assertProblem(asAlice.get().uri(path).exchange(), HttpStatus.FORBIDDEN, "not-your-data");
		}
		for (String path : new String[] { "/users/" + alice + "/consents", "/users/" + alice + "/consents/history",
				"/users/" + alice + "/ledger/verification", "/receipts/" + aliceReceipt, "/scopes" }) {
			asAlice.get().uri(path).exchange().expectStatus().isOk();
		}
		// Alice's own reads are not operator actions; the operator's read of Bob's is
		// audited.
		this.web.get().uri("/audit?userId={user}", alice).exchange().expectBody().jsonPath("$.length()").isEqualTo(0);
		this.web.get()
			.uri("/users/{user}/consents/history", bob)
			.header("X-Access-Reason", "complaint 77: checking the withdrawal date")
			.exchange()
			.expectStatus()
			.isOk();
		// An operator who gives no reason is shown nothing, and nothing is recorded.
		WebTestClient withoutReason = this.web.mutate()
			.defaultHeaders((headers) -> headers.remove("X-Access-Reason"))
			.build();
		ServiceChecks.assertProblem(withoutReason.get().uri("/users/{user}/consents", bob).exchange(),
				HttpStatus.BAD_REQUEST, "access-reason-required");
		ServiceChecks.assertProblem(withoutReason.get()
			.uri("/users/{user}/consents", bob)
			.header("X-Access-Reason", "x".repeat(501))
			.exchange(), HttpStatus.BAD_REQUEST, "access-reason-too-long");
		this.web.get()
			.uri("/audit?userId={user}", bob)
			.exchange()
			.expectBody()
			// The two reads of Bob's history (the first with the test client's reason);
			// the
			// refused reads wrote nothing.
			.jsonPath("$[*].action")
			.value((List<String> actions) -> assertThat(actions).containsExactly("VIEW_CONSENT_HISTORY",
					"VIEW_CONSENT_HISTORY"))
			.jsonPath("$[0].action")
			.isEqualTo("VIEW_CONSENT_HISTORY")
			.jsonPath("$[0].actor")
			.isEqualTo("test-operator")
			.jsonPath("$[0].reason")
			.isEqualTo("complaint 77: checking the withdrawal date");
		ServiceChecks.assertProblem(asAlice.get().uri("/audit").exchange(), HttpStatus.FORBIDDEN, "missing-scope");
		ServiceChecks.assertProblem(asAlice.post()
			.uri("/policies")
			.bodyValue(Map.of("version", "x-9", "url", "https://x.example"))
			.exchange(), HttpStatus.FORBIDDEN, "missing-scope");
	}

	/** Records a change and answers the receipt issued for it. */
	private static String receipt(WebTestClient client, String user, Map<String, Object> change) {
		return (String) ConsentApiTests.put(client, user, change).get("receiptId");
	}

}
