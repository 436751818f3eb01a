package com.onemusic.privacy.consent;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.consent.messaging.ConsentStates;
import com.onemusic.privacy.events.ConsentStateRecorded;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.Mockito.doAnswer;

/**
 * A batch whose states cannot be published (the database or Kafka unreachable) is tried
 * again until they are, more often than the dead-letter handling of other listeners would
 * try, and none of its changes is dead-lettered.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + ConsentServiceApplication.NAME)
class ConsentStateRetryTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@MockitoSpyBean
	private ConsentStates states;

	@Autowired
	private WebTestClient web;

	@Test
	void aBatchWhoseStatesCannotBePublishedIsTriedAgainUntilTheyAre() {
		String user = ConsentApiTests.user();
		AtomicInteger failures = new AtomicInteger(4);
		doAnswer((call) -> {
			Map<?, ?> users = call.getArgument(0);
			if (users.containsKey(user) && failures.getAndDecrement() > 0) {
				return Mono.error(new IllegalStateException("the database is unreachable (a test's failure)"));
			}
			return call.callRealMethod();
		}).when(this.states).publish(anyMap());

		ConsentApiTests.put(this.web, user,
				ConsentApiTests.body("EXPLICIT_TICK", ConsentApiTests.change("permission.photos", "GRANTED")));

		await().atMost(WAIT).untilAsserted(() -> {
			List<ConsumerRecord<String, Object>> published = TopicProbe.read(Topics.CONSENT_STATE.name(),
					(record) -> user.equals(record.key()), 1, Duration.ofSeconds(2));
			assertThat(published).isNotEmpty();
			assertThat(((ConsentStateRecorded) published.get(published.size() - 1).value()).getSequence())
				.isEqualTo(1L);
		});
		assertThat(failures.get()).as("every failure was met before it was published").isNegative();
		assertThat(TopicProbe.readRaw(Topics.CONSENT_CHANGED.deadLetterTopic(), (record) -> user.equals(record.key()),
				1, Duration.ofSeconds(2)))
			.as("nothing dead-lettered")
			.isEmpty();
	}

}
