package com.onemusic.privacy.sharing;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.testsupport.ServiceChecks;
import com.onemusic.privacy.testsupport.TestInfrastructure;
import com.onemusic.privacy.testsupport.TestTokens;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * An end user's token reads only that user's share log; it cannot ask for shares, read
 * the partner registry or disclose under a legal order.
 */
@GatewayTest
class GatewaySecurityTests {

	@Autowired
	private WebTestClient web;

	@Test
	void theProdProfileRefusesToStartOnDevelopmentSettings() {
		assertThatIllegalStateException()
			.isThrownBy(() -> PrivacyService.builder(SharingGatewayApplication.class, SharingGatewayApplication.NAME)
				.run(TestInfrastructure.instanceArguments("mongodb://127.0.0.1:1/never",
						"--spring.profiles.active=prod")))
			.withMessageContaining("sharing.user-reference-key")
			.withMessageContaining("privacy.security.jwks-uri points at this machine")
			.withMessageNotContaining("sharing.partners")
			.withMessageNotContaining("ZGV2LW9ubHk");
	}

	@Test
	void aUserReadsOnlyTheirOwnShareLogAndNothingElse() {
		String alice = GatewayFixtures.user();
		String bob = GatewayFixtures.user();
		WebTestClient asAlice = TestTokens.as(this.web, TestTokens.user(alice));
		asAlice.get().uri("/users/{user}/shares", alice).exchange().expectStatus().isOk();
		ServiceChecks.assertProblem(asAlice.get().uri("/users/{user}/shares", bob).exchange(), HttpStatus.FORBIDDEN,
				"not-your-data");
		ServiceChecks.assertProblem(asAlice.post()
			.uri("/shares")
			.bodyValue(Map.of("partnerId", "swift-logistics", "userId", alice, "purpose", "order-delivery", "payload",
					Map.of("orderId", "1")))
			.exchange(), HttpStatus.FORBIDDEN, "missing-scope");
		ServiceChecks.assertProblem(asAlice.get().uri("/partners").exchange(), HttpStatus.FORBIDDEN, "missing-scope");
		ServiceChecks.assertProblem(asAlice.post().uri("/disclosures").bodyValue(Map.of()).exchange(),
				HttpStatus.FORBIDDEN, "missing-scope");
		ServiceChecks.assertProblem(asAlice.get().uri("/deliveries/overdue").exchange(), HttpStatus.FORBIDDEN,
				"missing-scope");
	}

}
