package com.onemusic.privacy.sharing.view;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scope's current state in the view is the one consent-service's ledger calls current:
 * the later made, then the later recorded; whatever order the changes and states arrive
 * in.
 */
class UserStateTests {

	private static final String SCOPE = "sharing.service-providers";

	private static final Instant T = Instant.parse("2026-11-30T08:00:00Z");

	@Test
	void aChangeRecordedLateWithAnOlderTimeDoesNotUndoANewerOne() {
		ConsentState withdrawn = new ConsentState(SCOPE, false, "2026.01", 2, T);
		ConsentState lateGrant = new ConsentState(SCOPE, true, "2026.01", 3, T.minusSeconds(300));
		UserState state = UserState.empty("u-1").with(withdrawn).with(lateGrant);
		assertThat(state.consent(SCOPE)).contains(withdrawn);
		// The other way round too: a state read first, the late change after.
		assertThat(UserState.empty("u-1").with(lateGrant).with(withdrawn).consent(SCOPE)).contains(withdrawn);
	}

	@Test
	void aNewerChangeReplacesTheKnownOneAndAtTheSameInstantTheLaterRecordedWins() {
		ConsentState granted = new ConsentState(SCOPE, true, "2026.01", 1, T);
		ConsentState withdrawn = new ConsentState(SCOPE, false, "2026.01", 2, T.plusSeconds(1));
		assertThat(UserState.empty("u-1").with(granted).with(withdrawn).consent(SCOPE)).contains(withdrawn);
		ConsentState sameInstant = new ConsentState(SCOPE, true, "2026.01", 3, T.plusSeconds(1));
		UserState state = UserState.empty("u-1").with(sameInstant).with(withdrawn);
		assertThat(state.consent(SCOPE)).contains(sameInstant);
		assertThat(state.with(sameInstant)).as("the same change again changes nothing").isSameAs(state);
	}

	@Test
	void statesMergeToTheSameWhicheverComesFirst() {
		UserState fromChanges = UserState.empty("u-1")
			.with(new ConsentState(SCOPE, false, "2026.01", 2, T))
			.with(new ConsentState("purpose.marketing-push", true, "2026.01", 5, T.minusSeconds(60)));
		UserState fromState = UserState.empty("u-1")
			.with(new ConsentState(SCOPE, true, "2026.01", 4, T.minusSeconds(30)))
			.with(new ConsentState("purpose.marketing-push", false, "2026.01", 3, T.minusSeconds(90)));
		assertThat(fromChanges.merge(fromState)).isEqualTo(fromState.merge(fromChanges));
		assertThat(fromChanges.merge(fromState).consent(SCOPE).map(ConsentState::granted)).contains(false);
		assertThat(fromChanges.merge(fromState).consent("purpose.marketing-push").map(ConsentState::granted))
			.contains(true);
	}

}
