package com.onemusic.privacy.consent.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

import com.onemusic.privacy.consent.ConsentServiceApplication;
import com.onemusic.privacy.consent.policy.PolicyHistory;
import com.onemusic.privacy.consent.policy.PolicyService;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read model ends with each user's newest change per scope whatever the order and
 * grouping in which entries reach it, and however often: the relay may publish a batch
 * that a sweep already published, or a sweep's batch after a newer one.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + ConsentServiceApplication.NAME)
class ConsentProjectionTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final Instant EARLIER = Instant.parse("2026-05-01T08:00:00Z");

	private static final Instant LATER = Instant.parse("2026-05-02T08:00:00Z");

	@Autowired
	private ConsentProjection projection;

	@Autowired
	private PolicyService policies;

	@Autowired
	private ReactiveMongoTemplate mongo;

	@Test
	void anOlderEntryArrivingLateDoesNotOverwriteANewerOne() {
		String user = "u-" + UUID.randomUUID();
		LedgerEntry grant = entry(user, 1, EARLIER, "permission.camera", ConsentStatus.GRANTED);
		LedgerEntry withdrawal = entry(user, 2, LATER, "permission.camera", ConsentStatus.WITHDRAWN);
		apply(withdrawal);
		apply(grant);
		assertThat(row(user, "permission.camera")).containsEntry("status", "WITHDRAWN").containsEntry("sequence", 2L);
	}

	@Test
	void aBatchInAnyOrderKeepsTheNewestChangeOfEachScope() {
		String user = "u-" + UUID.randomUUID();
		LedgerEntry grant = entry(user, 1, EARLIER, "permission.camera", ConsentStatus.GRANTED);
		LedgerEntry withdrawal = entry(user, 2, LATER, "permission.camera", ConsentStatus.WITHDRAWN);
		// Same instant as the withdrawal: the sequence number decides.
		LedgerEntry regrant = entry(user, 3, LATER, "permission.camera", ConsentStatus.GRANTED);
		LedgerEntry photos = entry(user, 4, LATER, "permission.photos", ConsentStatus.GRANTED);
		apply(regrant, photos, grant, withdrawal);
		assertThat(row(user, "permission.camera")).containsEntry("status", "GRANTED").containsEntry("sequence", 3L);
		assertThat(row(user, "permission.photos")).containsEntry("status", "GRANTED")
			.containsEntry("userId", user)
			.containsEntry("scope", "permission.photos")
			.containsEntry("policyVersion", "2026.01");
		// Replayed, alone and with others: nothing moves back.
		apply(withdrawal, grant);
		apply(photos);
		assertThat(row(user, "permission.camera")).containsEntry("status", "GRANTED").containsEntry("sequence", 3L);
		assertThat(row(user, "permission.photos")).containsEntry("sequence", 4L);
	}

	private void apply(LedgerEntry... entries) {
		PolicyHistory history = this.policies.history().block(WAIT);
		this.projection.apply(List.of(entries), history).block(WAIT);
	}

	private Document row(String user, String scope) {
		return this.mongo.findById(user + "|" + scope, Document.class, ConsentProjection.COLLECTION).block(WAIT);
	}

	private static LedgerEntry entry(String user, long sequence, Instant occurredAt, String scope,
			ConsentStatus status) {
		return new LedgerEntry(LedgerEntry.idOf(user, sequence), user, sequence, occurredAt, occurredAt, "2026.01",
				ConsentMethod.SETTINGS_TOGGLE, "test", null, null, null,
				List.of(new ScopeChange(scope, status, UUID.randomUUID())), null, "test:" + UUID.randomUUID(), null,
				LedgerHash.GENESIS, "not-hashed", false);
	}

}
