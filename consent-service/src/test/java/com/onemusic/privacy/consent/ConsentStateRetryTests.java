package com.onemusic.privacy.consent;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.consent.messaging.ConsentStates;
import com.onemusic.privacy.consent.messaging.StateTransactions;
import com.onemusic.privacy.events.ConsentStateRecorded;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.Mockito.doAnswer;

/**
 * A batch whose states cannot be published (the database or Kafka unreachable) is tried
 * again until they are, more often than the dead-letter handling of other listeners would
 * try, and none of its changes is dead-lettered; the states of an attempt that failed are
 * aborted with its transaction, so readers never see them.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + ConsentServiceApplication.NAME)
class ConsentStateRetryTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@MockitoSpyBean
	private ConsentStates states;

	@Autowired
	private StateTransactions transactions;

	@Autowired
	private WebTestClient web;

	@Test
	void aBatchWhoseStatesCannotBePublishedIsTriedAgainUntilTheyAreAndWhatFailedIsNeverRead() {
		String user = ConsentApiTests.user();
		AtomicInteger failures = new AtomicInteger(4);
		doAnswer((call) -> {
			Map<?, ?> users = call.getArgument(0);
			// The states are sent and written to the topic, then the batch fails (as when
			// Kafka cannot commit it): its transaction is aborted.
			call.callRealMethod();
			this.transactions.template().flush();
			if (users.containsKey(user) && failures.getAndDecrement() > 0) {
				throw new IllegalStateException("the batch could not be committed (a test's failure)");
			}
			return null;
		}).when(this.states).publish(anyMap(), any());

		ConsentApiTests.put(this.web, user,
				ConsentApiTests.body("EXPLICIT_TICK", ConsentApiTests.change("permission.photos", "GRANTED")));

		await().atMost(WAIT).until(() -> failures.get() < 0);
		List<ConsumerRecord<String, Object>> sent = TopicProbe.readIncludingAborted(Topics.CONSENT_STATE.name(),
				(record) -> user.equals(record.key()), 5, WAIT);
		assertThat(sent).as("every attempt sent the state").hasSizeGreaterThanOrEqualTo(5);
		List<ConsumerRecord<String, Object>> committed = TopicProbe.read(Topics.CONSENT_STATE.name(),
				(record) -> user.equals(record.key()), 1, Duration.ofSeconds(2));
		assertThat(committed).as("only the attempt that was committed is read")
			.singleElement()
			.satisfies((record) -> assertThat(((ConsentStateRecorded) record.value()).getSequence()).isEqualTo(1L));
		assertThat(TopicProbe.readRaw(Topics.CONSENT_CHANGED.deadLetterTopic(), (record) -> user.equals(record.key()),
				1, Duration.ofSeconds(2)))
			.as("nothing dead-lettered")
			.isEmpty();
	}

}
