package com.onemusic.privacy.testsupport;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.events.Topics;

/**
 * What every service must do, whatever its business: start live and ready on Kafka,
 * MongoDB and the registry, and create the contract's topics with their dead-letter
 * topics. A service's test extends this and is annotated {@link ServiceIntegrationTest}.
 */
public abstract class ServiceContractTests {

	@Autowired
	protected WebTestClient web;

	@Test
	void startsLiveAndReadyOnKafkaMongoAndTheRegistry() {
		ServiceChecks.assertLiveAndReady(this.web);
	}

	@Test
	void createsTheContractTopicsAndTheirDeadLetterTopics() throws Exception {
		Set<String> expected = new HashSet<>();
		Topics.all().forEach((topic) -> {
			expected.add(topic.name());
			expected.add(topic.deadLetterTopic());
		});
		ServiceChecks.assertTopicsExist(expected);
	}

}
