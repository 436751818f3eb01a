package com.onemusic.privacy.dsr;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

import org.springframework.http.HttpMethod;
import com.onemusic.privacy.dsr.calendar.CalendarHolder;
import com.onemusic.privacy.dsr.export.DataExports;
import com.onemusic.privacy.dsr.messaging.DsrOutbox;
import com.onemusic.privacy.dsr.request.DsrRequests;
import com.onemusic.privacy.dsr.request.RequestFilter;
import com.onemusic.privacy.dsr.request.SlaState;
import com.onemusic.privacy.dsr.verification.LoggingVerificationCodeSender;
import com.onemusic.privacy.dsr.verification.OneTimeCodes;
import com.onemusic.privacy.dsr.verification.SessionAssertions;
import com.onemusic.privacy.dsr.verification.VerificationCodeSender;
import com.onemusic.privacy.platform.outbox.OutboxRelay;
import com.onemusic.privacy.platform.security.EndpointRules;

/** Wires dsr-service's parts. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DsrProperties.class)
class DsrConfiguration {

	@Bean
	CalendarHolder calendarHolder(DsrProperties properties) {
		return new CalendarHolder(properties.calendar().directory());
	}

	@Bean
	OneTimeCodes oneTimeCodes(DsrProperties properties) {
		return new OneTimeCodes(properties.verification().codeLength(), properties.verification().codeSecret());
	}

	@Bean
	SessionAssertions sessionAssertions(DsrProperties properties) {
		DsrProperties.Assertion assertion = properties.verification().assertion();
		return new SessionAssertions(assertion.issuer(), assertion.audience(), assertion.secret(), assertion.maxAge());
	}

	@Bean
	@ConditionalOnMissingBean
	VerificationCodeSender verificationCodeSender() {
		return new LoggingVerificationCodeSender();
	}

	@Bean
	DsrOutbox dsrOutbox(ReactiveMongoTemplate mongo, DsrProperties properties) {
		return new DsrOutbox(mongo, properties.erasureParticipants());
	}

	@Bean
	DsrRequests dsrRequests(ReactiveMongoTemplate mongo, DsrProperties properties, CalendarHolder calendar,
			OneTimeCodes codes, SessionAssertions assertions, VerificationCodeSender sender,
			ObjectProvider<OutboxRelay> relay, @Lazy DsrOutbox outbox) {
		return new DsrRequests(mongo, properties, calendar, codes, assertions, sender,
				OutboxRelay.offerTo(relay, outbox), Clock.systemUTC());
	}

	@Bean
	DataExports dataExports(ReactiveMongoTemplate mongo, DsrRequests requests, DsrProperties properties) {
		return new DataExports(mongo, requests, properties.controller(), Clock.systemUTC());
	}

	/** Indexes exist before the service takes requests. */
	@Bean
	SmartInitializingSingleton dsrStoreInitializer(DsrRequests requests, DsrOutbox outbox) {
		return () -> Mono.when(requests.createIndexes(), outbox.createIndex()).block(Duration.ofSeconds(60));
	}

	@Bean(destroyMethod = "stop")
	DsrMaintenance dsrMaintenance(DsrRequests requests, CalendarHolder calendar, DsrProperties properties,
			MeterRegistry meters) {
		Map<SlaState, AtomicLong> open = new ConcurrentHashMap<>();
		for (SlaState state : SlaState.values()) {
			AtomicLong count = new AtomicLong();
			open.put(state, count);
			Gauge.builder("dsr.requests.open", count, AtomicLong::get)
				.description("Open, verified data-subject requests by how they stand against their deadline")
				.tag("sla", state.name())
				.register(meters);
		}
		DsrMaintenance maintenance = new DsrMaintenance(requests, calendar, properties,
				(state) -> requests.count(new RequestFilter(null, null, null, state, null, 1))
					.doOnNext((count) -> open.get(state).set(count))
					.then());
		maintenance.start();
		return maintenance;
	}

	/**
	 * Who may call what: a user (or a service for a user) submits, verifies, reads and
	 * downloads with {@code dsr:submit}, its own requests only (see the controller);
	 * operators extend deadlines, remind participants and complete rectifications with
	 * {@code dsr:operate}, and may read any request.
	 */
	@Bean
	EndpointRules dsrEndpointRules() {
		String submit = EndpointRules.scope("dsr:submit");
		String operate = EndpointRules.scope("dsr:operate");
		return (exchanges) -> exchanges
			.pathMatchers(HttpMethod.POST, "/requests/*/extension", "/requests/*/steps/*/reminder",
					"/requests/*/completion")
			.hasAuthority(operate)
			.pathMatchers(HttpMethod.POST, "/requests", "/requests/*/verification", "/requests/*/verification-code")
			.hasAuthority(submit)
			.pathMatchers(HttpMethod.GET, "/requests", "/requests/*", "/requests/*/export")
			.hasAnyAuthority(submit, operate);
	}

}
