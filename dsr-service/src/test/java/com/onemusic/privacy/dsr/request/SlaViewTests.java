package com.onemusic.privacy.dsr.request;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

import com.onemusic.privacy.dsr.DsrProperties;
import com.onemusic.privacy.dsr.DsrServiceApplication;
import com.onemusic.privacy.dsr.calendar.CalendarHolder;
import com.onemusic.privacy.dsr.verification.Contact;
import com.onemusic.privacy.dsr.verification.OneTimeCodes;
import com.onemusic.privacy.dsr.verification.SessionAssertions;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SLA view over stored requests, with the clock set: requests due soon and overdue
 * are found by query, with their working days left; unverified requests expire.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + DsrServiceApplication.NAME)
class SlaViewTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Autowired
	private ReactiveMongoTemplate mongo;

	@Autowired
	private DsrProperties properties;

	@Autowired
	private CalendarHolder calendar;

	@Autowired
	private OneTimeCodes codes;

	@Autowired
	private SessionAssertions assertions;

	@Test
	void requestsDueSoonAndOverdueAreListedAndCounted() {
		String run = UUID.randomUUID().toString().substring(0, 8);
		// Verified on Tuesday 2026-02-10 (due 2026-03-09) and Monday 2026-03-02 (due
		// 2026-03-20).
		String early = verified("early-" + run, Instant.parse("2026-02-10T02:00:00Z"));
		String late = verified("late-" + run, Instant.parse("2026-03-02T02:00:00Z"));

		// Wednesday 2026-03-04: 3 working days before 2026-03-09.
		DsrRequests onMarch4 = at(Instant.parse("2026-03-04T02:00:00Z"));
		assertThat(ids(onMarch4, SlaState.DUE_SOON, run)).containsExactly(early);
		assertThat(ids(onMarch4, SlaState.ON_TRACK, run)).containsExactly(late);
		assertThat(ids(onMarch4, SlaState.OVERDUE, run)).isEmpty();
		DsrRequest earlyRequest = onMarch4.get(early).block(WAIT);
		assertThat(onMarch4.workingDaysLeft(earlyRequest)).isEqualTo(3);
		assertThat(onMarch4.sla(earlyRequest)).isEqualTo(SlaState.DUE_SOON);

		// Tuesday 2026-03-10: the early one is a working day late.
		DsrRequests onMarch10 = at(Instant.parse("2026-03-10T02:00:00Z"));
		assertThat(ids(onMarch10, SlaState.OVERDUE, run)).containsExactly(early);
		assertThat(onMarch10.workingDaysLeft(onMarch10.get(early).block(WAIT))).isEqualTo(-1);
		assertThat(onMarch10.count(new RequestFilter(null, null, null, SlaState.OVERDUE, null, 1)).block(WAIT))
			.isGreaterThanOrEqualTo(1L);
	}

	@Test
	void unverifiedRequestsExpire() {
		// Tomorrow: the service's own maintenance, on the real clock, leaves it alone.
		Instant submitted = Instant.now().plus(Duration.ofDays(1));
		String user = "expiring-" + UUID.randomUUID();
		String id = at(submitted)
			.submit(new SubmitCommand(user, DsrType.ACCESS, DsrChannel.WEB, null, null, List.of(),
					new Contact(Contact.Kind.EMAIL, "user@example.com"), null, null))
			.block(WAIT)
			.request()
			.id();
		assertThat(at(submitted.plus(Duration.ofHours(71))).expireUnverified().block(WAIT)).isZero();
		DsrRequests later = at(submitted.plus(Duration.ofHours(73)));
		assertThat(later.expireUnverified().block(WAIT)).isGreaterThanOrEqualTo(1L);
		assertThat(later.get(id).block(WAIT).status()).isEqualTo(DsrStatus.EXPIRED);
	}

	private String verified(String user, Instant at) {
		return at(at)
			.submit(new SubmitCommand(user, DsrType.RECTIFICATION, DsrChannel.WEB, null, "wrong birthday", List.of(),
					null, this.assertions.issue(user, at, Duration.ofMinutes(5)), null))
			.block(WAIT)
			.request()
			.id();
	}

	private List<String> ids(DsrRequests requests, SlaState sla, String run) {
		return requests.list(new RequestFilter(null, null, null, sla, null, 10_000))
			.filter((request) -> request.userId().endsWith(run))
			.map(DsrRequest::id)
			.collectList()
			.block(WAIT);
	}

	private DsrRequests at(Instant now) {
		return new DsrRequests(this.mongo, this.properties, this.calendar, this.codes, this.assertions,
				(request, contact, code) -> {
				}, (request) -> {
				}, Clock.fixed(now, ZoneOffset.UTC));
	}

}
