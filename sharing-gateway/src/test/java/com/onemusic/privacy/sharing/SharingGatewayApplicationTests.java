package com.onemusic.privacy.sharing;

import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.testsupport.ServiceChecks;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;

@ServiceIntegrationTest(properties = "spring.config.name=" + SharingGatewayApplication.NAME)
class SharingGatewayApplicationTests {

	@Autowired
	private WebTestClient web;

	@Test
	void startsLiveAndReadyOnKafkaMongoAndTheRegistry() {
		ServiceChecks.assertLiveAndReady(this.web);
	}

	@Test
	void createsTheContractTopicsAndTheirDeadLetterTopics() throws Exception {
		ServiceChecks.assertTopicsExist(Set.of(Topics.DELETION_REQUESTED.name(),
				Topics.DELETION_REQUESTED.deadLetterTopic(), Topics.CONSENT_CHANGED.deadLetterTopic()));
	}

}
