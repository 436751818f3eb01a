package com.onemusic.privacy.sharing.view;

import java.time.Duration;
import java.time.Instant;

import reactor.core.publisher.Mono;

/**
 * Whether the consent view holds every record that was on its topics at an instant: a
 * decision asks it for the instant the request arrived, so that a withdrawal published
 * before the request is always seen (for data that is not sensitive, with
 * {@code sharing.view.max-staleness} set, for an instant that long before).
 */
@FunctionalInterface
public interface ViewFreshness {

	/**
	 * Waits until the view holds every record that was on its topics at {@code since}.
	 * @param since the instant
	 * @param within how long to wait at most
	 * @return true once it does, false if it did not within the time
	 */
	Mono<Boolean> caughtUpSince(Instant since, Duration within);

}
