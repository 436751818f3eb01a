package com.onemusic.privacy.consent.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hash chain and the fold over a user's ledger. */
class LedgerChainTests {

	private static final Instant T0 = Instant.parse("2026-02-01T00:00:00Z");

	/**
	 * Entry ids are the user and the sequence number padded to 19 digits, so that they
	 * sort in sequence order; stored ids must keep this exact form.
	 */
	@Test
	void entryIdsArePaddedSoThatTheySortInSequenceOrder() {
		assertThat(LedgerEntry.idOf("u-1", 0)).isEqualTo("u-1:0000000000000000000");
		assertThat(LedgerEntry.idOf("u-1", 42)).isEqualTo("u-1:0000000000000000042");
		assertThat(LedgerEntry.idOf("u-1", Long.MAX_VALUE)).isEqualTo("u-1:" + Long.MAX_VALUE);
		assertThat(LedgerEntry.idOf("u-1", 9)).isLessThan(LedgerEntry.idOf("u-1", 10));
		assertThatThrownBy(() -> LedgerEntry.idOf("u-1", -1)).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void anIntactChainVerifies() {
		assertThat(ChainVerification.verify("u-1", chain(3))).satisfies((result) -> {
			assertThat(result.valid()).isTrue();
			assertThat(result.entries()).isEqualTo(3);
			assertThat(result.firstBrokenLink()).isNull();
		});
	}

	@Test
	void anAlteredEntryIsTheFirstBrokenLink() {
		List<LedgerEntry> entries = chain(4);
		LedgerEntry second = entries.get(1);
		// Someone turns a withdrawal into a grant after the fact.
		entries.set(1, new LedgerEntry(second.id(), second.userId(), second.sequence(), second.occurredAt(),
				second.recordedAt(), second.policyVersion(), second.method(), second.sourceSystem(), null, null, null,
				List.of(new ScopeChange("purpose.marketing-push", ConsentStatus.GRANTED,
						second.changes().get(0).eventId())),
				second.receiptId(), second.idempotencyKey(), null, second.previousHash(), second.hash(), true));
		ChainVerification result = ChainVerification.verify("u-1", entries);
		assertThat(result.valid()).isFalse();
		assertThat(result.firstBrokenLink().sequence()).isEqualTo(2);
		assertThat(result.firstBrokenLink().problem()).contains("content does not match");
	}

	@Test
	void aRemovedEntryIsFound() {
		List<LedgerEntry> entries = chain(4);
		entries.remove(2);
		ChainVerification result = ChainVerification.verify("u-1", entries);
		assertThat(result.valid()).isFalse();
		assertThat(result.firstBrokenLink().sequence()).isEqualTo(3);
		assertThat(result.firstBrokenLink().problem()).contains("missing");
	}

	@Test
	void aRewrittenEntryWithAFreshHashBreaksTheNextLink() {
		List<LedgerEntry> entries = chain(3);
		LedgerEntry first = entries.get(0);
		LedgerEntry forged = new LedgerEntry(first.id(), first.userId(), 1, first.occurredAt().minusSeconds(86_400),
				first.recordedAt(), first.policyVersion(), first.method(), first.sourceSystem(), null, null, null,
				first.changes(), first.receiptId(), first.idempotencyKey(), null, LedgerHash.GENESIS, null, true);
		entries.set(0, rehash(forged));
		ChainVerification result = ChainVerification.verify("u-1", entries);
		assertThat(result.firstBrokenLink().sequence()).isEqualTo(2);
		assertThat(result.firstBrokenLink().problem()).contains("previous hash");
	}

	@Test
	void theStateAsOfAnInstantShowsWhatWasConsentedThen() {
		List<LedgerEntry> entries = chain(3);
		// Entries alternate GRANTED (1), WITHDRAWN (2), GRANTED (3), one hour apart.
		Map<String, ConsentState> atStart = ConsentFold.fold(entries, T0.plusSeconds(1800));
		assertThat(atStart.get("purpose.marketing-push").status()).isEqualTo(ConsentStatus.GRANTED);
		Map<String, ConsentState> afterWithdrawal = ConsentFold.fold(entries, T0.plusSeconds(3600 + 60));
		assertThat(afterWithdrawal.get("purpose.marketing-push").status()).isEqualTo(ConsentStatus.WITHDRAWN);
		assertThat(ConsentFold.fold(entries, T0.minusSeconds(1))).isEmpty();
		assertThat(ConsentFold.fold(entries, null).get("purpose.marketing-push").sequence()).isEqualTo(3);
	}

	@Test
	void aChangeRecordedLateWithAnOlderTimeDoesNotOverrideANewerOne() {
		List<LedgerEntry> entries = new ArrayList<>(chain(2));
		LedgerEntry late = rehash(new LedgerEntry(LedgerEntry.idOf("u-1", 3), "u-1", 3, T0.minusSeconds(60), T0,
				"2026.01", ConsentMethod.SETTINGS_TOGGLE, "app", null, null, null,
				List.of(new ScopeChange("purpose.marketing-push", ConsentStatus.GRANTED, UUID.randomUUID())), "cr-x",
				"k3", null, entries.get(1).hash(), null, true));
		entries.add(late);
		assertThat(ConsentFold.fold(entries, null).get("purpose.marketing-push").status())
			.isEqualTo(ConsentStatus.WITHDRAWN);
	}

	static List<LedgerEntry> chain(int length) {
		List<LedgerEntry> entries = new ArrayList<>();
		String previous = LedgerHash.GENESIS;
		for (int sequence = 1; sequence <= length; sequence++) {
			ConsentStatus status = (sequence % 2 == 1) ? ConsentStatus.GRANTED : ConsentStatus.WITHDRAWN;
			LedgerEntry entry = rehash(new LedgerEntry(LedgerEntry.idOf("u-1", sequence), "u-1", sequence,
					T0.plusSeconds(3600L * (sequence - 1)), T0, "2026.01", ConsentMethod.SETTINGS_TOGGLE, "app", null,
					null, null, List.of(new ScopeChange("purpose.marketing-push", status, UUID.randomUUID())),
					(status == ConsentStatus.GRANTED) ? "cr-" + sequence : null, "k" + sequence, null, previous, null,
					true));
			entries.add(entry);
			previous = entry.hash();
		}
		return entries;
	}

	static LedgerEntry rehash(LedgerEntry entry) {
		return new LedgerEntry(entry.id(), entry.userId(), entry.sequence(), entry.occurredAt(), entry.recordedAt(),
				entry.policyVersion(), entry.method(), entry.sourceSystem(), entry.guardian(), entry.birthDate(),
				entry.reason(), entry.changes(), entry.receiptId(), entry.idempotencyKey(), entry.erasure(),
				entry.previousHash(), LedgerHash.of(entry), entry.published());
	}

}
