package com.onemusic.privacy.consent.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import com.onemusic.privacy.consent.ConsentServiceApplication;
import com.onemusic.privacy.consent.policy.PolicyHistory;
import com.onemusic.privacy.consent.policy.PolicyService;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read model ends with each user's newest change per scope whatever the order and
 * grouping in which entries reach it, and however often: the relay may publish a batch
 * that a sweep already published, or a sweep's batch after a newer one, and two instances
 * may write one user's rows at the same moment.
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
		assertThat(latest(user, "permission.camera")).containsEntry("status", "WITHDRAWN")
			.containsEntry("sequence", 2L);
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
		assertThat(latest(user, "permission.camera")).containsEntry("status", "GRANTED").containsEntry("sequence", 3L);
		assertThat(row(user, "permission.photos")).containsEntry("userId", user)
			.containsEntry("scope", "permission.photos");
		assertThat(latest(user, "permission.photos")).containsEntry("status", "GRANTED")
			.containsEntry("policyVersion", "2026.01");
		// Replayed, alone and with others: nothing moves back.
		apply(withdrawal, grant);
		apply(photos);
		assertThat(latest(user, "permission.camera")).containsEntry("status", "GRANTED").containsEntry("sequence", 3L);
		assertThat(latest(user, "permission.photos")).containsEntry("sequence", 4L);
	}

	/**
	 * Two instances applying changes of one user at the same moment, each in its own
	 * order: the database keeps the newest, whichever write comes last.
	 */
	@Test
	void concurrentWritersLeaveTheNewestChange() {
		String user = "u-" + UUID.randomUUID();
		List<LedgerEntry> entries = new ArrayList<>();
		for (int sequence = 1; sequence <= 60; sequence++) {
			entries.add(entry(user, sequence, EARLIER.plusSeconds(sequence), "permission.camera",
					(sequence % 2 == 0) ? ConsentStatus.WITHDRAWN : ConsentStatus.GRANTED));
		}
		List<LedgerEntry> reversed = new ArrayList<>(entries);
		Collections.reverse(reversed);
		PolicyHistory history = this.policies.history().block(WAIT);
		Flux<Void> one = Flux.fromIterable(entries)
			.concatMap((entry) -> this.projection.apply(List.of(entry), history));
		Flux<Void> other = Flux.fromIterable(reversed)
			.concatMap((entry) -> this.projection.apply(List.of(entry), history));
		Flux.merge(one.subscribeOn(Schedulers.parallel()), other.subscribeOn(Schedulers.parallel())).then().block(WAIT);
		assertThat(latest(user, "permission.camera")).containsEntry("sequence", 60L)
			.containsEntry("status", "WITHDRAWN");
	}

	@Test
	void theOrderKeySortsAsTheAgeOfAChange() {
		List<String> keys = List.of(ConsentProjection.order(Instant.parse("1969-12-31T23:59:59Z"), 9),
				ConsentProjection.order(Instant.EPOCH, 1), ConsentProjection.order(EARLIER, 7),
				ConsentProjection.order(LATER, 2), ConsentProjection.order(LATER, 10));
		assertThat(keys).isSorted().doesNotHaveDuplicates();
	}

	/**
	 * Rows written in the earlier flat form are converted once, and listed again.
	 */
	@Test
	void rowsInTheEarlierFormAreConvertedAtStart() {
		String user = "u-" + UUID.randomUUID();
		this.mongo
			.save(new Document("_id", user + "|permission.camera").append("userId", user)
				.append("scope", "permission.camera")
				.append("status", "GRANTED")
				.append("sequence", 4L)
				.append("occurredAt", java.util.Date.from(EARLIER))
				.append("policyVersion", "2026.01")
				.append("policyOrder", 1L), ConsentProjection.COLLECTION)
			.block(WAIT);
		this.mongo
			.remove(Query.query(Criteria.where("_id").is(ConsentProjection.MIGRATION)), OneTimeMigrations.COLLECTION)
			.block(WAIT);
		this.projection.createIndexes().block(WAIT);
		assertThat(row(user, "permission.camera")).doesNotContainKeys("status", "sequence", "policyVersion");
		assertThat(latest(user, "permission.camera")).containsEntry("status", "GRANTED")
			.containsEntry("sequence", 4L)
			.containsEntry("policyOrder", 1L)
			.containsEntry("order", ConsentProjection.order(EARLIER, 4));
		// A newer change still replaces it; an older one does not.
		apply(entry(user, 3, EARLIER.minusSeconds(60), "permission.camera", ConsentStatus.WITHDRAWN));
		assertThat(latest(user, "permission.camera")).containsEntry("sequence", 4L);
		apply(entry(user, 5, LATER, "permission.camera", ConsentStatus.WITHDRAWN));
		assertThat(latest(user, "permission.camera")).containsEntry("sequence", 5L)
			.containsEntry("status", "WITHDRAWN");
	}

	private void apply(LedgerEntry... entries) {
		PolicyHistory history = this.policies.history().block(WAIT);
		this.projection.apply(List.of(entries), history).block(WAIT);
	}

	private Document row(String user, String scope) {
		return this.mongo.findById(user + "|" + scope, Document.class, ConsentProjection.COLLECTION).block(WAIT);
	}

	private Document latest(String user, String scope) {
		return row(user, scope).get(ConsentProjection.LATEST, Document.class);
	}

	private static LedgerEntry entry(String user, long sequence, Instant occurredAt, String scope,
			ConsentStatus status) {
		return new LedgerEntry(LedgerEntry.idOf(user, sequence), user, sequence, occurredAt, occurredAt, "2026.01",
				ConsentMethod.SETTINGS_TOGGLE, "test", null, null, null,
				List.of(new ScopeChange(scope, status, UUID.randomUUID())), null, "test:" + UUID.randomUUID(), null,
				LedgerHash.GENESIS, "not-hashed", false);
	}

}
