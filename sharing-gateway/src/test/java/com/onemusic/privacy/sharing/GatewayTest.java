package com.onemusic.privacy.sharing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import com.onemusic.privacy.testsupport.ServiceIntegrationTest;

/**
 * The gateway over the shared test infrastructure, with one configuration for every test
 * class, so that they share one application context (and one member of the consumer
 * group), with a retry schedule short enough for a test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ServiceIntegrationTest(properties = { "spring.config.name=" + SharingGatewayApplication.NAME,
		"sharing.webhooks.retry-schedule=0s,300ms,600ms", "sharing.webhooks.poll-interval=100ms",
		"sharing.webhooks.timeout=2s", "privacy.outbox.poll-interval=200ms" })
@interface GatewayTest {

}
