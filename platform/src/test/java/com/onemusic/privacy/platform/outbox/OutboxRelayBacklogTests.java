package com.onemusic.privacy.platform.outbox;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes may run ahead of Kafka: the relay holds a bounded number of offered entries in
 * memory and leaves the rest unpublished in the database for its sweep.
 */
class OutboxRelayBacklogTests {

	@Test
	void offersBeyondTheBoundAreLeftToTheSweep() {
		OutboxSource source = new OutboxSource() {

			@Override
			public String name() {
				return "test";
			}

			@Override
			public PendingEntry entryOf(Object document) {
				return new PendingEntry(document, List.of(new OutboxMessage("topic", "key", "value")), document);
			}

			@Override
			public Flux<PendingEntry> pending(int limit) {
				return Flux.empty();
			}

			@Override
			public Mono<Void> markPublished(List<PendingEntry> entries) {
				return Mono.empty();
			}

		};
		// Not started: nothing drains the backlog while the test offers.
		OutboxRelay relay = new OutboxRelay(List.of(source), null, null, Duration.ofSeconds(1), 2,
				Duration.ofSeconds(1));
		for (int i = 0; i < 100; i++) {
			relay.offer(source, "entry-" + i);
		}
		assertThat(relay.offeredBacklog()).isEqualTo(40);
	}

}
