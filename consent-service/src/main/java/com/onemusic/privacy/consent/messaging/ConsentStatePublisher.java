package com.onemusic.privacy.consent.messaging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.platform.messaging.Listeners;

/**
 * Keeps {@code privacy.consent-state.v1} current: for every ConsentChanged the ledger
 * published (those with a sequence number), the user's state, at least as of that change,
 * is published, once per user and batch, before the batch's offsets are committed. The
 * state is this instance's latest snapshot of the user when it reaches the change (the
 * instance recorded it: no database read), else it is read from the ledger.
 *
 * <p>
 * In a consumer group of its own, so it reads every change once, whichever instance; and
 * one user's changes are on one partition, so one thread at a time publishes that user's
 * states, each read after the change that caused it: the state published last is never
 * older than any change published before it. A group that starts without committed
 * offsets reads the changes topic from its start, which publishes the state of every user
 * still on it (how the state topic is filled the first time).
 *
 * <p>
 * Records other than the ledger's own changes are left to
 * {@code ConsentSubmissionListener} (which records submissions and dead-letters what it
 * cannot read). Each batch is one Kafka transaction: its states and its offsets are
 * committed together ({@link StateTransactions}), so an instance cut out of the group
 * mid-batch cannot leave an older state after the one the new owner of the partition
 * sent. A batch that fails (the database or Kafka unreachable) is rolled back and taken
 * again every second until it works, never dead-lettered ({@link #RETRIES}, the
 * container's after-rollback processor).
 */
@Component
public class ConsentStatePublisher {

	/** Its consumer group. */
	public static final String GROUP = "consent-service-state";

	/** The bean that gives its container the error handler that retries. */
	public static final String RETRIES = "consentStateRetries";

	private final ConsentStates states;

	ConsentStatePublisher(ConsentStates states) {
		this.states = states;
	}

	@KafkaListener(id = "consentStatePublisher", groupId = GROUP,
			topics = "#{T(com.onemusic.privacy.events.Topics).CONSENT_CHANGED.name()}", batch = "true",
			properties = { "fetch.min.bytes=65536", "fetch.max.wait.ms=200" }, containerPostProcessor = RETRIES)
	void on(List<ConsumerRecord<String, Object>> records) {
		Map<String, Long> users = new LinkedHashMap<>();
		for (ConsumerRecord<String, Object> record : records) {
			if (record.value() instanceof ConsentChanged changed && changed.getSequence() != null) {
				users.merge(changed.getUserId(), changed.getSequence(), Math::max);
			}
		}
		if (users.isEmpty()) {
			return;
		}
		this.states.publish(users, Listeners.TIMEOUT);
	}

}
