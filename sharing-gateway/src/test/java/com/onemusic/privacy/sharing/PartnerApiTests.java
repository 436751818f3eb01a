package com.onemusic.privacy.sharing;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.events.PartnerCategory;
import com.onemusic.privacy.sharing.partner.Partner;
import com.onemusic.privacy.sharing.partner.PartnerRegistry;
import com.onemusic.privacy.sharing.partner.PartnerSecrets;
import com.onemusic.privacy.testsupport.ServiceChecks;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partner registry: configured partners are there and cannot be changed through the
 * API; API partners are checked; secrets are never answered, and are stored sealed.
 */
@GatewayTest
class PartnerApiTests {

	@Autowired
	private WebTestClient web;

	@Autowired
	private ReactiveMongoTemplate mongo;

	@Autowired
	private PartnerRegistry registry;

	@Autowired
	private SharingProperties properties;

	private static final Duration WAIT = Duration.ofSeconds(30);

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
	void partnerSecretsAreStoredSealed() {
		String id = "p-" + UUID.randomUUID().toString().substring(0, 8);
		String secret = GatewayFixtures.secret();
		String callbackSecret = GatewayFixtures.secret();
		this.web.put()
			.uri("/partners/{id}", id)
			.bodyValue(GatewayFixtures.partner("MERCHANT", "https://partner.example/hook", secret,
					List.of(callbackSecret), "purpose.x"))
			.exchange()
			.expectStatus()
			.isCreated();
		Document stored = this.mongo.findById(id, Document.class, Partner.COLLECTION).block(WAIT);
		assertThat(stored.toJson()).doesNotContain("whsec_").contains("sealed:v1:");
		assertThat(this.registry.find(id)).hasValueSatisfying((partner) -> {
			assertThat(partner.webhookSecret()).isEqualTo(secret);
			assertThat(partner.callbackSecrets()).containsExactly(callbackSecret);
		});
	}

	/**
	 * A partner stored before secrets were sealed (or under a retired key) is sealed
	 * again when an instance starts, and still works.
	 */
	@Test
	void aPartnerStoredWithPlainSecretsIsSealedAtStart() {
		String id = "p-" + UUID.randomUUID().toString().substring(0, 8);
		String secret = GatewayFixtures.secret();
		String callbackSecret = GatewayFixtures.secret();
		this.mongo.save(
				new Partner(id, "Stored before sealing", PartnerCategory.MERCHANT, true, "https://partner.example/hook",
						secret, null, List.of(callbackSecret), Map.of(), Partner.API, Instant.now()),
				Partner.COLLECTION)
			.block(WAIT);
		try (PartnerRegistry starting = new PartnerRegistry(this.mongo,
				new PartnerSecrets(this.properties.secretsKey(), this.properties.retiredSecretsKeys()),
				Duration.ofHours(1))) {
			starting.initialize(List.of()).block(WAIT);
			assertThat(starting.find(id)).hasValueSatisfying((partner) -> {
				assertThat(partner.webhookSecret()).isEqualTo(secret);
				assertThat(partner.callbackSecrets()).containsExactly(callbackSecret);
			});
		}
		Document stored = this.mongo.findById(id, Document.class, Partner.COLLECTION).block(WAIT);
		assertThat(stored.toJson()).doesNotContain("whsec_").contains("sealed:v1:");
	}

	/**
	 * A partner whose secrets were sealed under a key this gateway does not have is left
	 * out rather than used: it is not found, so nothing is shared with it.
	 */
	@Test
	void aPartnerSealedUnderAnUnknownKeyIsLeftOut() {
		String id = "p-" + UUID.randomUUID().toString().substring(0, 8);
		byte[] otherKey = new byte[32];
		new SecureRandom().nextBytes(otherKey);
		PartnerSecrets other = new PartnerSecrets(Base64.getEncoder().encodeToString(otherKey), List.of());
		this.mongo
			.save(other.sealed(new Partner(id, "Sealed elsewhere", PartnerCategory.MERCHANT, true,
					"https://partner.example/hook", GatewayFixtures.secret(), null, List.of(GatewayFixtures.secret()),
					Map.of(), Partner.API, Instant.now())), Partner.COLLECTION)
			.block(WAIT);
		this.registry.refresh().block(WAIT);
		assertThat(this.registry.find(id)).isEmpty();
		ServiceChecks.assertProblem(this.web.get().uri("/partners/{id}", id).exchange(), HttpStatus.NOT_FOUND,
				"unknown-partner");
		this.mongo
			.remove(org.springframework.data.mongodb.core.query.Query
				.query(org.springframework.data.mongodb.core.query.Criteria.where("_id").is(id)), Partner.COLLECTION)
			.block(WAIT);
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
