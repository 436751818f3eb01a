package com.onemusic.privacy.sharing.view;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Policy versions ordered by their chain, and which consents they make stale. */
class PolicyChainTests {

	@Test
	void aMaterialChangeMakesOlderConsentsForItsScopesStale() {
		PolicyChain chain = new PolicyChain(List.of(new PolicyChain.Version("v1", null, Set.of()),
				new PolicyChain.Version("v2", "v1", Set.of("sharing.merchants")),
				new PolicyChain.Version("v3", "v2", Set.of())));
		assertThat(chain.current()).contains("v3");
		assertThat(chain.staleBy("sharing.merchants", "v1")).contains("v2");
		assertThat(chain.staleBy("sharing.merchants", "v2")).isEmpty();
		assertThat(chain.staleBy("sharing.merchants", "v3")).isEmpty();
		assertThat(chain.staleBy("sharing.affiliates", "v1")).isEmpty();
	}

	@Test
	void versionsArrivingOutOfOrderAreOrderedByTheirChain() {
		PolicyChain chain = PolicyChain.empty()
			.with(new PolicyChain.Version("v3", "v2", Set.of("sharing.sensitive")))
			.with(new PolicyChain.Version("v1", null, Set.of()))
			.with(new PolicyChain.Version("v2", "v1", Set.of()));
		assertThat(chain.current()).contains("v3");
		assertThat(chain.staleBy("sharing.sensitive", "v2")).contains("v3");
		assertThat(chain.staleBy("sharing.sensitive", "v3")).isEmpty();
	}

	@Test
	void aConsentUnderAVersionNotSeenYetIsStaleForEveryScopeEverChanged() {
		PolicyChain chain = new PolicyChain(List.of(new PolicyChain.Version("v1", null, Set.of("sharing.merchants"))));
		assertThat(chain.staleBy("sharing.merchants", "v9")).contains("v1");
		assertThat(chain.staleBy("sharing.affiliates", "v9")).isEmpty();
	}

	@Test
	void aCycleDoesNotLoopForever() {
		PolicyChain chain = new PolicyChain(
				List.of(new PolicyChain.Version("a", "b", Set.of("s")), new PolicyChain.Version("b", "a", Set.of())));
		assertThat(chain.size()).isEqualTo(2);
		assertThat(chain.current()).isPresent();
	}

	@Test
	void userStatesMergeToTheNewestOfEachScopeWhateverTheOrder() {
		Instant now = Instant.now();
		UserState granted = UserState.empty("u").with(new ConsentState("s", true, "v1", 3, now));
		UserState withdrawn = UserState.empty("u").with(new ConsentState("s", false, "v1", 5, now));
		UserState other = UserState.empty("u")
			.with(new ConsentState("t", true, "v1", 4, now))
			.with(new ErasureMark("r1", false, now.plusSeconds(60)));
		UserState one = granted.merge(withdrawn).merge(other);
		UserState two = other.merge(withdrawn).merge(granted);
		assertThat(one).isEqualTo(two);
		assertThat(one.consent("s")).hasValueSatisfying((state) -> assertThat(state.granted()).isFalse());
		assertThat(one.consent("t")).isPresent();
		assertThat(one.erasureAt(now)).isPresent();
		assertThat(one.erasureAt(now.plusSeconds(61))).isEmpty();
		assertThat(withdrawn.with(new ConsentState("s", true, "v1", 4, now))).as("an older change is ignored")
			.isSameAs(withdrawn);
	}

}
