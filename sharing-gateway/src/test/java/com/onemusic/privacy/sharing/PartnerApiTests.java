package com.onemusic.privacy.sharing;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.testsupport.ServiceChecks;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partner registry: configured partners are there and cannot be changed through the
 * API; API partners are checked; secrets are never answered.
 */
@GatewayTest
class PartnerApiTests {

	@Autowired
	private WebTestClient web;

	@Test
	void configuredPartnersAreListedWithoutTheirSecretsAndCannotBeChangedHere() {
		String body = this.web.get()
			.uri("/partners")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(body).contains("\"swift-logistics\"", "\"insight-metrics\"").doesNotContain("whsec_");
		this.web.get()
			.uri("/partners/swift-logistics")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.category")
			.isEqualTo("SERVICE_PROVIDER")
			.jsonPath("$.managedBy")
			.isEqualTo("configuration")
			.jsonPath("$.purposes['order-delivery'].fields.contactPhone")
			.isEqualTo("phone")
			.jsonPath("$.webhookSecret")
			.doesNotExist();
		ServiceChecks.assertProblem(this.web.put()
			.uri("/partners/swift-logistics")
			.bodyValue(GatewayFixtures.partner("SERVICE_PROVIDER", "https://partner.example/hook",
					GatewayFixtures.secret(), List.of(GatewayFixtures.secret()), "purpose.x"))
			.exchange(), HttpStatus.CONFLICT, "partner-managed-by-configuration");
		ServiceChecks.assertProblem(this.web.get().uri("/partners/nobody").exchange(), HttpStatus.NOT_FOUND,
				"unknown-partner");
	}

	@Test
	void aPartnerIsCreatedThenReplacedAndItsSecretsStayHidden() {
		String id = "p-" + UUID.randomUUID().toString().substring(0, 8);
		String secret = GatewayFixtures.secret();
		Map<String, Object> partner = GatewayFixtures.partner("MERCHANT", "https://partner.example/hook", secret,
				List.of(GatewayFixtures.secret(), GatewayFixtures.secret()), "purpose.x");
		String created = this.web.put()
			.uri("/partners/{id}", id)
			.bodyValue(partner)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(created).doesNotContain("whsec_").contains("\"callbackSecrets\":2");
		this.web.put().uri("/partners/{id}", id).bodyValue(partner).exchange().expectStatus().isOk();
	}

	@Test
	void anInvalidPartnerIsRefusedWithEveryReason() {
		Map<String, Object> partner = new java.util.HashMap<>(
				GatewayFixtures.partner("MERCHANT", "ftp://x", "not-a-secret", List.of(), "purpose.x"));
		partner.put("purposes", Map.of("Bad Purpose", Map.of("fields", Map.of("a.b", "orders"))));
		ServiceChecks
			.assertProblem(this.web.put().uri("/partners/Bad_Id").bodyValue(partner).exchange(), HttpStatus.BAD_REQUEST,
					"invalid-partner")
			.jsonPath("$.errors.length()")
			.isEqualTo(6)
			.jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).doesNotContain("not-a-secret"));
		this.web.get().uri("/partners/Bad_Id").exchange().expectStatus().isNotFound();
		ServiceChecks.assertProblem(this.web.put()
			.uri("/partners/p-unknown-category")
			.contentType(org.springframework.http.MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\":\"x\",\"category\":\"SPY\"}")
			.exchange(), HttpStatus.BAD_REQUEST, "unreadable-request");
	}

}
