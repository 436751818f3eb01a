package com.onemusic.privacy.consent.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.onemusic.privacy.consent.TestCatalog;
import com.onemusic.privacy.consent.policy.PolicyHistory;
import com.onemusic.privacy.consent.policy.PolicyVersion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ConsentRulesTests {

	private static final Instant NOW = Instant.parse("2026-06-01T04:00:00Z");

	private final ConsentRules rules = new ConsentRules(TestCatalog.catalog(), 14, 3);

	private final PolicyHistory policies = new PolicyHistory(List.of(new PolicyVersion("2026.01", 1, null, "u",
			Instant.EPOCH, Instant.EPOCH, List.of(), UUID.randomUUID(), true)));

	@Test
	void aMinorCannotBeGrantedAConsentWithoutAGuardian() {
		ConsentCommand command = grant("permission.location", LocalDate.of(2013, 6, 2), null);
		assertThatExceptionOfType(ConsentRefused.class)
			.isThrownBy(() -> this.rules.plan(command, Map.of(), this.policies, null, NOW))
			.satisfies((refused) -> assertThat(refused.reason()).isEqualTo(ConsentRefused.Reason.GUARDIAN_REQUIRED))
			.withMessageContaining("under 14");
	}

	@Test
	void aMinorCanBeGrantedAConsentWithAGuardian() {
		ConsentCommand command = grant("permission.location", LocalDate.of(2013, 6, 2),
				new Guardian("g-1", Guardian.Relationship.PARENT));
		assertThat(this.rules.plan(command, Map.of(), this.policies, null, NOW)).hasSize(1);
	}

	@Test
	void fourteenIsNoLongerAMinorCountedInTheMainlandsTimeZone() {
		// Born 2012-06-01: 14 on 2026-06-01, which NOW (04:00 UTC, 12:00 in Beijing) is.
		assertThat(this.rules.isMinor(LocalDate.of(2012, 6, 1), NOW)).isFalse();
		assertThat(this.rules.isMinor(LocalDate.of(2012, 6, 2), NOW)).isTrue();
		// 2026-05-31T20:00Z is already 2026-06-01 in Beijing.
		assertThat(this.rules.isMinor(LocalDate.of(2012, 6, 1), Instant.parse("2026-05-31T20:00:00Z"))).isFalse();
	}

	@Test
	void aMinorMayWithdrawWithoutAGuardianAndAKnownBirthDateCounts() {
		ConsentCommand withdraw = new ConsentCommand("u-1", "2026.01", ConsentMethod.SETTINGS_TOGGLE, "app", NOW, null,
				null, null, List.of(new ConsentCommand.Requested("permission.location", ConsentStatus.WITHDRAWN)),
				null);
		assertThat(this.rules.plan(withdraw, Map.of(), this.policies, LocalDate.of(2015, 1, 1), NOW)).hasSize(1);
		ConsentCommand grantWithoutBirthDate = grant("permission.location", null, null);
		assertThatExceptionOfType(ConsentRefused.class).isThrownBy(
				() -> this.rules.plan(grantWithoutBirthDate, Map.of(), this.policies, LocalDate.of(2015, 1, 1), NOW));
	}

	/**
	 * A change's time is kept to the millisecond, as the ledger stores it and the events
	 * carry it: every reader decides a scope's current state by the same values.
	 */
	@Test
	void aChangesTimeIsKeptToTheMillisecond() {
		ConsentCommand command = new ConsentCommand("u-1", "2026.01", ConsentMethod.SETTINGS_TOGGLE, "app",
				Instant.parse("2026-06-01T04:00:00.123456789Z"), null, null, null,
				List.of(new ConsentCommand.Requested("permission.location", ConsentStatus.WITHDRAWN)), null);
		assertThat(command.occurredAt()).isEqualTo(Instant.parse("2026-06-01T04:00:00.123Z"));
	}

	@Test
	void unknownScopesNecessaryScopesAndRepeatedScopesAreBadInput() {
		assertRefused(grant("purpose.nonexistent", null, null), ConsentRefused.Reason.UNKNOWN_SCOPE);
		assertRefused(grant("necessary.account", null, null), ConsentRefused.Reason.CONSENT_NOT_APPLICABLE);
		ConsentCommand twice = new ConsentCommand("u-1", "2026.01", ConsentMethod.EXPLICIT_TICK, "app", NOW, null, null,
				null, List.of(new ConsentCommand.Requested("purpose.marketing-push", ConsentStatus.GRANTED),
						new ConsentCommand.Requested("purpose.marketing-push", ConsentStatus.WITHDRAWN)),
				null);
		assertRefused(twice, ConsentRefused.Reason.INVALID_BATCH);
	}

	@Test
	void anOversizedOrEmptyBatchIsBadInput() {
		List<ConsentCommand.Requested> four = List.of(
				new ConsentCommand.Requested("purpose.marketing-push", ConsentStatus.GRANTED),
				new ConsentCommand.Requested("permission.location", ConsentStatus.GRANTED),
				new ConsentCommand.Requested("sharing.service-providers", ConsentStatus.GRANTED),
				new ConsentCommand.Requested("purpose.other", ConsentStatus.GRANTED));
		assertRefused(new ConsentCommand("u-1", "2026.01", ConsentMethod.EXPLICIT_TICK, "app", NOW, null, null, null,
				four, null), ConsentRefused.Reason.INVALID_BATCH);
		assertRefused(new ConsentCommand("u-1", "2026.01", ConsentMethod.EXPLICIT_TICK, "app", NOW, null, null, null,
				List.of(), null), ConsentRefused.Reason.INVALID_BATCH);
	}

	@Test
	void anUnknownPolicyVersionAFutureTimeAndABadUserIdAreBadInput() {
		assertRefused(
				new ConsentCommand("u-1", "1999.01", ConsentMethod.EXPLICIT_TICK, "app", NOW, null, null, null,
						List.of(new ConsentCommand.Requested("purpose.marketing-push", ConsentStatus.GRANTED)), null),
				ConsentRefused.Reason.UNKNOWN_POLICY_VERSION);
		assertRefused(
				new ConsentCommand("u-1", "2026.01", ConsentMethod.EXPLICIT_TICK, "app", NOW.plusSeconds(3600), null,
						null, null,
						List.of(new ConsentCommand.Requested("purpose.marketing-push", ConsentStatus.GRANTED)), null),
				ConsentRefused.Reason.INVALID_TIME);
		assertRefused(new ConsentCommand("{\"$gt\": \"\"}", "2026.01", ConsentMethod.EXPLICIT_TICK, "app", NOW, null,
				null, null, List.of(new ConsentCommand.Requested("purpose.marketing-push", ConsentStatus.GRANTED)),
				null), ConsentRefused.Reason.INVALID_USER_ID);
	}

	@Test
	void repeatingTheCurrentStateChangesNothingButARegrantUnderANewVersionDoes() {
		ConsentState granted = new ConsentState("purpose.marketing-push", ConsentStatus.GRANTED, 1, NOW, "2026.01",
				ConsentMethod.EXPLICIT_TICK, "cr-1");
		Map<String, ConsentState> current = Map.of("purpose.marketing-push", granted);
		assertThat(this.rules.plan(grant("purpose.marketing-push", null, null), current, this.policies, null, NOW))
			.isEmpty();
		PolicyHistory newer = new PolicyHistory(List.of(
				new PolicyVersion("2026.01", 1, null, "u", Instant.EPOCH, Instant.EPOCH, List.of(), UUID.randomUUID(),
						true),
				new PolicyVersion("2026.06", 2, "2026.01", "u", Instant.EPOCH, Instant.EPOCH, List.of(),
						UUID.randomUUID(), true)));
		ConsentCommand regrant = new ConsentCommand("u-1", "2026.06", ConsentMethod.EXPLICIT_TICK, "app", NOW, null,
				null, null, List.of(new ConsentCommand.Requested("purpose.marketing-push", ConsentStatus.GRANTED)),
				null);
		assertThat(this.rules.plan(regrant, current, newer, null, NOW)).hasSize(1);
	}

	private void assertRefused(ConsentCommand command, ConsentRefused.Reason reason) {
		assertThatExceptionOfType(ConsentRefused.class)
			.isThrownBy(() -> this.rules.plan(command, Map.of(), this.policies, null, NOW))
			.satisfies((refused) -> assertThat(refused.reason()).isEqualTo(reason));
	}

	private static ConsentCommand grant(String scope, LocalDate birthDate, Guardian guardian) {
		return new ConsentCommand("u-1", "2026.01", ConsentMethod.EXPLICIT_TICK, "app", NOW, birthDate, guardian, null,
				List.of(new ConsentCommand.Requested(scope, ConsentStatus.GRANTED)), null);
	}

}
