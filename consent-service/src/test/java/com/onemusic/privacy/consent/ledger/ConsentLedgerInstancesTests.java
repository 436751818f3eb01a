package com.onemusic.privacy.consent.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

import com.onemusic.privacy.consent.ConsentServiceApplication;
import com.onemusic.privacy.consent.policy.PolicyService;
import com.onemusic.privacy.consent.scope.ScopeCatalog;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the service change one user's consents in turn. Each keeps the heads
 * it moved in memory, and each one's memory falls behind whenever the other writes: the
 * ledger still gets gapless numbers, a change that only looks like a repeat from the
 * stale memory is recorded, and a repeat of the newest state is not.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + ConsentServiceApplication.NAME)
class ConsentLedgerInstancesTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Autowired
	private ConsentLedger first;

	@Autowired
	private ReactiveMongoTemplate mongo;

	@Autowired
	private PolicyService policies;

	@Autowired
	private ScopeCatalog catalog;

	private ConsentHeads otherHeads;

	private ConsentLedger second;

	@BeforeEach
	void secondInstance() {
		this.otherHeads = new ConsentHeads(this.mongo, 1000);
		// Its entries are published by the first instance's sweep.
		this.second = new ConsentLedger(this.mongo, this.otherHeads, new ConsentRules(this.catalog, 14, 50),
				this.policies, (entry) -> {
				}, Clock.systemUTC());
	}

	@AfterEach
	void stop() {
		this.otherHeads.close();
	}

	@Test
	void instancesWritingOneUserInTurnKeepTheLedgerRight() {
		String user = "u-" + UUID.randomUUID();
		assertThat(change(this.first, user, "permission.camera", ConsentStatus.GRANTED)).isEqualTo(1);
		assertThat(change(this.second, user, "permission.camera", ConsentStatus.WITHDRAWN)).isEqualTo(2);
		// The first still remembers the camera granted: granting it is a change all the
		// same.
		assertThat(change(this.first, user, "permission.camera", ConsentStatus.GRANTED)).isEqualTo(3);
		// The second remembers sequence 2: its insert of 3 fails, it walks on to 4.
		assertThat(change(this.second, user, "permission.photos", ConsentStatus.GRANTED)).isEqualTo(4);
		// The first remembers sequence 3 without photos: after walking, it is a repeat.
		ConsentLedger.Recorded repeat = record(this.first, user, "permission.photos", ConsentStatus.GRANTED);
		assertThat(repeat.changed()).isFalse();
		assertThat(repeat.sequence()).isEqualTo(4);
		assertThat(repeat.state().get("permission.camera").status()).isEqualTo(ConsentStatus.GRANTED);

		assertThat(this.first.entries(user).map(LedgerEntry::sequence).collectList().block(WAIT)).containsExactly(1L,
				2L, 3L, 4L);
		ChainVerification verification = this.second.verify(user).block(WAIT);
		assertThat(verification.valid()).isTrue();
	}

	/**
	 * The state published for a change is at least as of that change: an instance's
	 * memory serves when it is that far, and when the other instance wrote since, the
	 * state comes from the ledger.
	 */
	@Test
	void theStateAsOfAChangeIsReadFromTheLedgerWhenThisInstancesMemoryIsBehind() {
		String user = "u-" + UUID.randomUUID();
		assertThat(change(this.first, user, "permission.camera", ConsentStatus.GRANTED)).isEqualTo(1);
		assertThat(change(this.second, user, "permission.photos", ConsentStatus.GRANTED)).isEqualTo(2);

		ConsentLedger.Current asOfTwo = this.first.current(user, 2).block(WAIT);
		assertThat(asOfTwo.sequence()).isEqualTo(2);
		assertThat(asOfTwo.states()).containsOnlyKeys("permission.camera", "permission.photos");
		assertThat(this.second.current(user, 2).block(WAIT).states()).containsOnlyKeys("permission.camera",
				"permission.photos");
		assertThat(this.first.current("u-" + UUID.randomUUID(), 1).block(WAIT).sequence()).as("a user without a ledger")
			.isZero();
	}

	private static long change(ConsentLedger ledger, String user, String scope, ConsentStatus status) {
		ConsentLedger.Recorded recorded = record(ledger, user, scope, status);
		assertThat(recorded.changed()).as("%s %s recorded", scope, status).isTrue();
		return recorded.sequence();
	}

	private static ConsentLedger.Recorded record(ConsentLedger ledger, String user, String scope,
			ConsentStatus status) {
		return ledger
			.record(new ConsentCommand(user, "2026.01", ConsentMethod.SETTINGS_TOGGLE, "test", Instant.now(), null,
					null, null, List.of(new ConsentCommand.Requested(scope, status)), null))
			.block(WAIT);
	}

}
